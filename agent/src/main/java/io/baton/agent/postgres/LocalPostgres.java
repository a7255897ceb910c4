package io.baton.agent.postgres;

import io.baton.events.DataDirectoryStatus;
import io.baton.events.Health;
import io.baton.events.Lsn;
import io.baton.events.PostgresStatus;
import io.baton.events.ReceiverStatus;
import io.baton.events.ReplicaStatus;
import io.baton.events.Role;
import io.baton.events.Upstream;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's real PostgreSQL: a local server it starts as its own child process, with its
 * node- and role-specific settings in a configuration file of the agent's outside the data
 * directory ({@value #CONFIG_FILE_NAME} in the state directory), so that files pg_rewind or
 * pg_basebackup copy from another node cannot change them.
 *
 * <p>A postmaster that already runs for the data directory when the agent starts (found through
 * its {@code postmaster.pid}) is adopted: observed, stopped and fenced like one the agent
 * started.
 *
 * <p>Thread safety: {@link #observe()}, {@link #postmasterPid()}, {@link #controlData()}, {@link
 * #reachable} and {@link #fence()} may be called from any thread at any time; the other actions
 * one at a time, as {@link PostgresControl} says.
 */
public final class LocalPostgres implements PostgresControl, AutoCloseable {
  public static final String CONFIG_FILE_NAME = "postgresql.baton.conf";
  public static final String PGPASS_FILE_NAME = "pgpass";
  public static final String LOG_FILE_NAME = "postgres.log";

  private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
  private static final Driver DRIVER = new Driver();
  private static final String STANDBY_SIGNAL = "standby.signal";
  private static final String LOCK_FILE = "postmaster.pid";
  /** Line 8 of postmaster.pid: the postmaster's own state, independent of lc_messages. */
  private static final int LOCK_FILE_STATUS_LINE = 7;
  private static final Duration FENCE_GRACE = Duration.ofSeconds(1);
  /** A sanity bound: each reserved timeline is one file in pg_wal. */
  private static final long MAX_RESERVED_TIMELINES = 1000;
  private static final Duration SETTING_WAIT = Duration.ofSeconds(2);
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration AUTH_FAILURE_BACKOFF = Duration.ofSeconds(5);
  private static final Duration CONTROL_DATA_RETRY = Duration.ofSeconds(5);
  private static final Duration CONTROL_DATA_TIMEOUT = Duration.ofSeconds(20);
  private static final int PROMOTE_WAIT_SECONDS = 60;
  private static final int LOG_TAIL_LINES = 25;

  private static final Timeouts OBSERVE_TIMEOUTS = new Timeouts(1, 2, 0);
  private static final Timeouts ACTION_TIMEOUTS = new Timeouts(2, 30, 0);
  private static final Timeouts PROMOTE_TIMEOUTS = new Timeouts(2, PROMOTE_WAIT_SECONDS + 15, 0);
  private static final Timeouts CHECKPOINT_TIMEOUTS = new Timeouts(5, 600, 0);
  private static final Timeouts REACHABLE_TIMEOUTS = new Timeouts(2, 2, 2);

  /** One round trip: the facts of both roles, so no query depends on another's answer. */
  private static final String OBSERVE_SQL = String.join(";\n",
      "SELECT pg_is_in_recovery(), current_setting('server_version'),"
          + " (SELECT system_identifier FROM pg_control_system())::text,"
          + " current_setting('synchronous_standby_names'),"
          + " CASE WHEN NOT pg_is_in_recovery() THEN pg_current_wal_lsn()::text END,"
          // The control file's timeline lags a promotion; the WAL file name does not.
          + " CASE WHEN NOT pg_is_in_recovery() THEN pg_walfile_name(pg_current_wal_lsn()) END,"
          + " pg_last_wal_receive_lsn()::text, pg_last_wal_replay_lsn()::text,"
          + " (SELECT timeline_id FROM pg_control_checkpoint()),"
          // A standby that followed a timeline switch holds that timeline's history file; the
          // control file's timeline lags until the next restartpoint (pg-notes).
          + " (SELECT max(substr(name, 1, 8)) FROM pg_ls_waldir() WHERE name LIKE '%.history')",
      "SELECT application_name, host(client_addr), state, sync_state, sent_lsn::text,"
          + " write_lsn::text, flush_lsn::text, replay_lsn::text"
          + " FROM pg_stat_replication ORDER BY application_name, pid",
      "SELECT status, received_tli, sender_host, sender_port FROM pg_stat_wal_receiver");

  private final PostgresSettings settings;
  private final OsUser osUser;
  private final Path configFile;
  private final Path pgpassFile;
  private final Path logFile;
  private final Path standbySignal;
  private final Path lockFile;
  private final List<Runnable> exitListeners = new CopyOnWriteArrayList<>();
  /** Counts fences, so a start that a fence overtook kills what it launched. */
  private final AtomicLong fences = new AtomicLong();
  private final AtomicReference<Postmaster> postmaster = new AtomicReference<>();
  /**
   * Server processes sent SIGKILL that have not exited yet (stuck in uninterruptible sleep on a
   * hung disk): a pending SIGKILL is delivered before they return to user space, so none can
   * acknowledge another commit, and a postmaster among them counts as down.
   */
  private final Set<Long> killed = ConcurrentHashMap.newKeySet();
  private volatile ControlDataCache controlDataCache;
  private volatile String controlDataProblem = "";

  private final Object observeLock = new Object();
  /** Guarded by observeLock. */
  private Observer observer;
  /** Guarded by observeLock: the last authentication failure, repeated instead of retried. */
  private Optional<AuthFailure> authFailure = Optional.empty();

  /** Written by the actions only, which run one at a time, though maybe on different threads. */
  private volatile ConfigFiles.Roles roles = new ConfigFiles.Roles(Optional.empty(), "");

  /**
   * @throws IllegalArgumentException when the settings' OS user does not exist or cannot be
   *     switched to
   */
  public LocalPostgres(PostgresSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.osUser = OsUser.of(settings.osUser());
    osUser.requireSafeRootMode();
    this.configFile = settings.stateDir().resolve(CONFIG_FILE_NAME);
    this.pgpassFile = settings.stateDir().resolve(PGPASS_FILE_NAME);
    this.logFile = settings.stateDir().resolve(LOG_FILE_NAME);
    this.standbySignal = settings.dataDir().resolve(STANDBY_SIGNAL);
    this.lockFile = settings.dataDir().resolve(LOCK_FILE);
  }

  public PostgresSettings settings() {
    return settings;
  }

  /** The agent's configuration file, PostgreSQL's {@code config_file}. */
  public Path configFile() {
    return configFile;
  }

  public Path pgpassFile() {
    return pgpassFile;
  }

  /** Where the server's output goes. */
  public Path logFile() {
    return logFile;
  }

  /**
   * Calls {@code listener} whenever a postmaster of this data directory exits, however it ended
   * (a stop, a fence, a crash, a kill by someone else): at once for a postmaster the agent
   * started, within ~50 ms for one it adopted. Called on an internal thread; it must not block.
   */
  public void onPostmasterExit(Runnable listener) {
    exitListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public OptionalLong postmasterPid() {
    return runningPostmaster().map(pm -> OptionalLong.of(pm.pid())).orElse(OptionalLong.empty());
  }

  @Override
  public boolean possiblyWritable() {
    return runningPostmaster().isPresent() && !Files.exists(standbySignal);
  }

  // ---------------------------------------------------------------------------------------------
  // observe

  @Override
  public PostgresStatus observe() {
    try {
      synchronized (observeLock) {
        return observeLocked();
      }
    } catch (RuntimeException e) {
      log.warn("postgres: observation failed: {}", e.toString());
      return PostgresStatus.unobserved(Health.UNREACHABLE, settings.host(), settings.port(),
          "observation failed: " + e);
    }
  }

  private PostgresStatus observeLocked() {
    Optional<Postmaster> running = runningPostmaster();
    if (running.isEmpty()) {
      closeObserver();
      authFailure = Optional.empty();
      return down();
    }
    Postmaster pm = running.get();
    Optional<AuthFailure> previous = authFailure.filter(f -> f.pid() == pm.pid()
        && Instant.now().isBefore(f.retryAt()));
    if (previous.isPresent()) {
      // Each attempt with a wrong password is a FATAL line in the server log: not 5 a second.
      return previous.get().status();
    }
    if (observer != null) {
      try {
        return queryObserver();
      } catch (SQLException e) {
        // The kept connection died with a restart or a terminated session: one fresh try.
        closeObserver();
        if (!pm.alive()) {
          return down();
        }
      }
    }
    // Read before connecting: read after a refusal, on a busy machine, it may already say "ready"
    // and make a postmaster that was not listening yet look hung.
    Optional<String> state = lockFileStatusOf(pm);
    try {
      return queryObserver();
    } catch (SQLException e) {
      closeObserver();
      return pm.alive() ? unreachable(pm, state, e) : down();
    }
  }

  /**
   * The kept-open observation connection with its statement, prepared so that PostgreSQL plans
   * it once rather than on every call (planning pg_stat_replication costs more than running it).
   */
  private record Observer(Connection connection, PreparedStatement statement) {}

  private Observer observer() throws SQLException {
    if (observer == null) {
      Connection connection = connect(settings.host(), settings.port(), OBSERVE_TIMEOUTS);
      try {
        observer = new Observer(connection, connection.prepareStatement(OBSERVE_SQL));
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
    }
    return observer;
  }

  /** Work done on a connection. */
  @FunctionalInterface
  private interface SqlWork<T> {
    T on(Connection connection) throws SQLException, PostgresException;
  }

  /**
   * Runs an action on the kept-open connection, with the action's own socket timeout: a fresh
   * login costs 50-150 ms of SCRAM here, which a promotion or a re-pointing should not wait for.
   * Observations and actions run on the agent's one loop thread, never at the same time.
   */
  private <T> T onLocalConnection(Timeouts timeouts, SqlWork<T> work)
      throws SQLException, PostgresException {
    if (observer != null && !observer.connection().isValid(1)) {
      // Its session may have been terminated or the server restarted since the last look.
      closeObserver();
    }
    Connection c = observer().connection();
    int observing = c.getNetworkTimeout();
    c.setNetworkTimeout(Runnable::run, (int) Duration.ofSeconds(timeouts.socketSeconds()).toMillis());
    try {
      return work.on(c);
    } catch (SQLException e) {
      closeObserver();
      throw e;
    } finally {
      if (observer != null && observer.connection() == c) {
        c.setNetworkTimeout(Runnable::run, observing);
      }
    }
  }

  private PostgresStatus queryObserver() throws SQLException {
    PostgresStatus status = query(observer().statement());
    authFailure = Optional.empty();
    return status;
  }

  private PostgresStatus query(PreparedStatement statement) throws SQLException {
    statement.execute();
    boolean inRecovery;
    String version;
    String systemIdentifier;
    String synchronousNames;
    Optional<Lsn> currentLsn;
    Optional<String> walFile;
    Optional<Lsn> receivedLsn;
    Optional<Lsn> replayedLsn;
    long checkpointTimeline;
    long historyTimeline;
    try (ResultSet rs = statement.getResultSet()) {
      rs.next();
      inRecovery = rs.getBoolean(1);
      version = rs.getString(2).split(" ", 2)[0];
      systemIdentifier = rs.getString(3);
      synchronousNames = rs.getString(4);
      currentLsn = lsn(rs.getString(5));
      walFile = Optional.ofNullable(rs.getString(6));
      receivedLsn = lsn(rs.getString(7));
      replayedLsn = lsn(rs.getString(8));
      checkpointTimeline = rs.getLong(9);
      String history = rs.getString(10);
      historyTimeline = history == null ? 0 : Long.parseLong(history, 16);
    }
    List<ReplicaStatus> replicas = new ArrayList<>();
    statement.getMoreResults();
    try (ResultSet rs = statement.getResultSet()) {
      while (rs.next()) {
        replicas.add(new ReplicaStatus(
            Optional.ofNullable(rs.getString(1)).filter(s -> !s.isBlank()).orElse("(unnamed)"),
            Optional.ofNullable(rs.getString(2)), Objects.requireNonNullElse(rs.getString(3),
                "unknown"), Objects.requireNonNullElse(rs.getString(4), "unknown"),
            lsn(rs.getString(5)), lsn(rs.getString(6)), lsn(rs.getString(7)),
            lsn(rs.getString(8))));
      }
    }
    statement.getMoreResults();
    ReceiverStatus receiver = new ReceiverStatus("stopped", Optional.empty(),
        OptionalInt.empty(), OptionalLong.empty());
    try (ResultSet rs = statement.getResultSet()) {
      if (rs.next()) {
        long tli = rs.getLong(2);
        int senderPort = rs.getInt(4);
        receiver = new ReceiverStatus(rs.getString(1), Optional.ofNullable(rs.getString(3)),
            senderPort > 0 ? OptionalInt.of(senderPort) : OptionalInt.empty(),
            tli > 0 ? OptionalLong.of(tli) : OptionalLong.empty());
      }
    }
    if (!inRecovery) {
      return new PostgresStatus(Health.UP, Role.PRIMARY, settings.host(), settings.port(),
          walFile.map(LocalPostgres::timelineOfWalFile).orElse(OptionalLong.empty()),
          currentLsn, Optional.empty(), Optional.empty(), Optional.empty(), replicas,
          Optional.of(synchronousNames), Optional.of(version), Optional.of(systemIdentifier),
          Optional.empty(), Optional.empty());
    }
    // The receiver's timeline, while it runs; else the newest history file it received; the last
    // restartpoint's timeline only as a floor.
    long newest = Math.max(checkpointTimeline, Math.max(historyTimeline, receiver.receivedTimeline().orElse(0)));
    OptionalLong timeline = newest > 0 ? OptionalLong.of(newest) : OptionalLong.empty();
    return new PostgresStatus(Health.UP, Role.STANDBY, settings.host(), settings.port(),
        timeline, Optional.empty(), receivedLsn, replayedLsn, Optional.of(receiver), List.of(),
        Optional.empty(), Optional.of(version), Optional.of(systemIdentifier),
        Optional.empty(), Optional.empty());
  }

  private PostgresStatus down() {
    Optional<DataDirectoryStatus> data = controlData();
    return new PostgresStatus(Health.DOWN, Role.UNKNOWN, settings.host(), settings.port(),
        OptionalLong.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
        data.map(DataDirectoryStatus::systemIdentifier), data,
        data.isPresent() ? Optional.empty() : Optional.of(controlDataProblem));
  }

  private PostgresStatus unreachable(Postmaster pm, Optional<String> state, SQLException e) {
    String where = "PostgreSQL (pid " + pm.pid() + ") at " + settings.host() + ":"
        + settings.port();
    // The postmaster's own state line tells what an error cannot: 57P03 means starting up, in
    // crash recovery, not yet consistent, or shutting down, and a refused connection may just
    // be a postmaster that does not listen yet.
    if (state.filter("stopping"::equals).isPresent()) {
      return PostgresStatus.unobserved(Health.UNREACHABLE, settings.host(), settings.port(),
          where + " is shutting down");
    }
    if (SqlErrors.isCannotConnectNow(e)
        || (SqlErrors.isConnection(e) && state.filter(s -> !s.equals("starting")).isEmpty())) {
      return PostgresStatus.unobserved(Health.STARTING, settings.host(), settings.port(),
          SqlErrors.describe(where, e));
    }
    PostgresStatus status = PostgresStatus.unobserved(Health.UNREACHABLE, settings.host(),
        settings.port(), SqlErrors.describe(where, e));
    if (SqlErrors.isAuthentication(e)) {
      authFailure = Optional.of(new AuthFailure(pm.pid(),
          Instant.now().plus(AUTH_FAILURE_BACKOFF), status));
    }
    return status;
  }

  private void closeObserver() {
    if (observer != null) {
      try {
        observer.connection().close();
      } catch (SQLException e) {
        // Already broken: that is why it is being closed.
      }
      observer = null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // start, stop, fence

  /**
   * Starts PostgreSQL as a child process and returns once it accepts connections. A server still
   * not answering when the start timeout passes is left running (crash recovery may simply take
   * longer, and killing it would restart that from scratch): the exception says so, and {@link
   * #observe()} reports it as starting. If PostgreSQL already runs, this checks that it runs in
   * the requested role and applies the mode's settings without a restart.
   */
  @Override
  public void start(StartAs mode) throws PostgresException {
    long fencesBefore = fences.get();
    long begun = System.nanoTime();
    Instant deadline = Instant.now().plus(settings.startTimeout());
    Optional<Postmaster> running = runningPostmaster();
    if (running.isPresent()) {
      adjustRunning(mode, running.get(), deadline);
      return;
    }
    requireDataDirectory();
    if (mode instanceof StartAs.Primary) {
      requireOneLine(((StartAs.Primary) mode).synchronousStandbyNames());
    }
    log.info("postgres: starting as {}", describe(mode));
    awaitPreviousServerGone(deadline, "start");
    ConfigFiles.Roles newRoles = rolesFor(mode);
    writeAgentFiles(newRoles);
    roles = newRoles;
    sanitizeAutoConf();
    setStandbySignal(mode instanceof StartAs.Standby);
    long logOffset = prepareLogFile();
    Process process = launch();
    Postmaster pm = new Postmaster(process.toHandle(), Optional.of(process));
    postmaster.set(pm);
    watch(pm);
    controlDataCache = null;
    if (fences.get() != fencesBefore) {
      // A fence ran after this start began but may have looked before the postmaster existed.
      fence();
      throw new PostgresException("PostgreSQL was fenced while starting");
    }
    awaitAcceptingConnections(pm, deadline, logOffset, fencesBefore);
    log.debug("postgres: started as {} (pid {}) in {} ms", describe(mode), pm.pid(),
        millisSince(begun));
  }

  private void adjustRunning(StartAs mode, Postmaster pm, Instant deadline)
      throws PostgresException {
    boolean inRecovery = awaitAcceptingConnections(pm, deadline, logSize(), fences.get());
    boolean standby = mode instanceof StartAs.Standby;
    if (inRecovery != standby) {
      throw new PostgresException("PostgreSQL already runs (pid " + pm.pid() + ") as a "
          + (inRecovery ? "standby" : "primary") + ": stop it before starting it as "
          + describe(mode));
    }
    String actualConfigFile = currentSetting("config_file");
    if (!actualConfigFile.equals(configFile.toString())) {
      throw new PostgresException("PostgreSQL already runs (pid " + pm.pid() + ") with config_file"
          + " " + actualConfigFile + " rather than the agent's " + configFile
          + ": stop it so the agent can start it");
    }
    log.info("postgres: already running (pid {}) as {}", pm.pid(), standby ? "standby" : "primary");
    if (mode instanceof StartAs.Primary) {
      setSynchronousStandbyNames(((StartAs.Primary) mode).synchronousStandbyNames());
    } else {
      Optional<Upstream> upstream = ((StartAs.Standby) mode).upstream();
      if (upstream.isPresent()) {
        follow(upstream.get());
      }
    }
  }

  private ConfigFiles.Roles rolesFor(StartAs mode) {
    if (mode instanceof StartAs.Primary) {
      return new ConfigFiles.Roles(Optional.empty(),
          ((StartAs.Primary) mode).synchronousStandbyNames());
    }
    // Without an upstream, a standby keeps the one a rewind or follow gave it, if any.
    return new ConfigFiles.Roles(((StartAs.Standby) mode).upstream().or(roles::upstream), "");
  }

  private Process launch() throws PostgresException {
    List<String> command = osUser.command(List.of(tool("postgres"),
        "-D", settings.dataDir().toString(), "-c", "config_file=" + configFile));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(settings.stateDir().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    cleanEnvironment(builder, Map.of());
    try {
      return builder.start();
    } catch (IOException e) {
      throw new PostgresException("could not run " + tool("postgres") + ": " + e.getMessage(), e);
    }
  }

  /** Returns whether the server is in recovery. */
  private boolean awaitAcceptingConnections(Postmaster pm, Instant deadline, long logOffset,
      long fencesBefore) throws PostgresException {
    String last = "no answer yet";
    while (true) {
      if (!pm.alive()) {
        throw new PostgresException("PostgreSQL exited while starting" + pm.exitDescription()
            + "; the end of " + logFile + ":\n" + logTail(logOffset));
      }
      if (fences.get() != fencesBefore) {
        throw new PostgresException("PostgreSQL was fenced while starting");
      }
      try (Connection c = connect(settings.host(), settings.port(), OBSERVE_TIMEOUTS);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
        rs.next();
        return rs.getBoolean(1);
      } catch (SQLException e) {
        if (SqlErrors.isAuthentication(e)) {
          throw new PostgresException(SqlErrors.describe("PostgreSQL runs (pid " + pm.pid()
              + ") but the agent cannot log in", e), e);
        }
        last = SqlErrors.describe("connecting", e);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new PostgresException("PostgreSQL (pid " + pm.pid() + ") did not accept"
            + " connections within " + settings.startTimeout().toSeconds() + " s and is left"
            + " running (" + last + "); the end of " + logFile + ":\n" + logTail(logOffset));
      }
      pause("waiting for PostgreSQL to accept connections");
    }
  }

  /**
   * Waits until nothing of an earlier server holds the data directory: PostgreSQL refuses to
   * start (and pg_rewind to run) while the pid in postmaster.pid exists, and a killed postmaster
   * that PID 1 has not reaped yet is a zombie that still does.
   */
  private void awaitPreviousServerGone(Instant deadline, String action)
      throws PostgresException {
    boolean logged = false;
    Path dataDir = realDataDir().orElseThrow(() ->
        new PostgresException("cannot " + action + ": no data directory " + settings.dataDir()));
    while (true) {
      String waitingFor = null;
      OptionalLong lockPid = lockFilePid();
      if (lockPid.isPresent() && OsProcesses.exists(lockPid.getAsLong())) {
        long pid = lockPid.getAsLong();
        Optional<Path> cwd = OsProcesses.workingDirectory(pid);
        if (!OsProcesses.isLive(pid) || cwd.isEmpty()) {
          waitingFor = "pid " + pid + " of " + LOCK_FILE + " to be gone (zombies included)";
        } else if (cwd.get().equals(dataDir)) {
          throw new PostgresException("cannot " + action + ": PostgreSQL runs (pid " + pid + ")");
        } else {
          // The pid now belongs to an unrelated process, and PostgreSQL would refuse to start
          // because of it.
          log.info("postgres: removing stale {} (pid {} is not a server of {})", LOCK_FILE, pid,
              dataDir);
          deleteStaleLockFile();
          continue;
        }
      }
      if (waitingFor == null) {
        List<ProcessHandle> leftovers = OsProcesses.workingIn(dataDir);
        if (!leftovers.isEmpty()) {
          waitingFor = "server processes " + pids(leftovers) + " of an earlier postmaster to exit";
        }
      }
      if (waitingFor == null) {
        return;
      }
      if (!logged) {
        log.info("postgres: waiting for {} before the {}", waitingFor, action);
        logged = true;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new PostgresException("cannot " + action + ": still waiting for " + waitingFor);
      }
      pause("waiting for " + waitingFor);
    }
  }

  /**
   * A fast shutdown: sessions are ended, a shutdown checkpoint is written and sent to every
   * connected standby. If that takes longer than the stop timeout the server is fenced instead
   * (and its data directory then needs crash recovery).
   */
  @Override
  public void stopCleanly() throws PostgresException {
    Optional<Postmaster> running = runningPostmaster();
    if (running.isEmpty()) {
      controlDataCache = null;
      return;
    }
    Postmaster pm = running.get();
    long begun = System.nanoTime();
    List<ProcessHandle> processes = processesOf(pm);
    log.info("postgres: stopping pid {} (fast shutdown)", pm.pid());
    if (!OsProcesses.signal("INT", pm.pid()) && pm.alive()) {
      log.warn("postgres: could not signal pid {}; fencing", pm.pid());
      fence();
    } else if (!pm.awaitExit(settings.stopTimeout())) {
      log.warn("postgres: pid {} did not stop within {} s; fencing", pm.pid(),
          settings.stopTimeout().toSeconds());
      fence();
    } else if (!OsProcesses.awaitGone(processes, FENCE_GRACE)) {
      // The postmaster waits for its children, so this would be a process it lost track of.
      fence();
    }
    controlDataCache = null;
    List<ProcessHandle> left = processes.stream()
        .filter(p -> OsProcesses.isLive(p.pid()))
        .collect(Collectors.toList());
    if (!left.isEmpty()) {
      throw new PostgresException("processes " + pids(left) + " of postmaster " + pm.pid()
          + " are still alive after SIGKILL");
    }
    log.debug("postgres: stopped pid {} in {} ms", pm.pid(), millisSince(begun));
  }

  /**
   * Immediate shutdown, then SIGKILL for whatever is left a second later, including server
   * processes a dead postmaster left behind. Takes no lock, so that it works while any other
   * action runs; a start it overtakes kills what it launched.
   */
  @Override
  public void fence() {
    fences.incrementAndGet();
    try {
      long begun = System.nanoTime();
      Optional<Postmaster> running = runningPostmaster();
      // Listed before the signal, while they are still the postmaster's children: once it is
      // gone, orphans are found only by their working directory.
      Set<ProcessHandle> processes = new LinkedHashSet<>();
      running.ifPresent(pm -> processes.addAll(processesOf(pm)));
      String how = "immediate shutdown";
      if (running.isPresent()) {
        Postmaster pm = running.get();
        if (!OsProcesses.signal("QUIT", pm.pid()) || !pm.awaitExit(FENCE_GRACE)) {
          how = "SIGKILL after the immediate shutdown did not end it";
        }
      }
      realDataDir().ifPresent(dir -> processes.addAll(OsProcesses.workingIn(dir)));
      List<ProcessHandle> left = processes.stream()
          .filter(p -> OsProcesses.isLive(p.pid()))
          .collect(Collectors.toList());
      left.forEach(ProcessHandle::destroyForcibly);
      if (!OsProcesses.awaitGone(left, Duration.ofSeconds(2))) {
        List<ProcessHandle> stuck = left.stream().filter(p -> OsProcesses.isLive(p.pid())).toList();
        stuck.forEach(p -> killed.add(p.pid()));
        log.error("postgres: processes {} have not exited 2 s after SIGKILL (uninterruptible"
            + " sleep?): counted as stopped, they cannot acknowledge another commit", pids(stuck));
      }
      controlDataCache = null;
      if (running.isPresent()) {
        log.info("postgres: fenced pid {} ({}) in {} ms", running.get().pid(), how,
            millisSince(begun));
      } else if (!left.isEmpty()) {
        log.info("postgres: fenced leftover server processes {} (SIGKILL)", pids(left));
      }
    } catch (RuntimeException e) {
      log.error("postgres: fencing failed: {}", e.toString(), e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // role changes

  @Override
  public void promote(long timelineAbove) throws PostgresException {
    Postmaster pm = requireRunning("promote");
    long begun = System.nanoTime();
    try {
      boolean alreadyPrimary = onLocalConnection(PROMOTE_TIMEOUTS, c -> {
        if (!inRecovery(c)) {
          return true;
        }
        reserveTimelines(c, timelineAbove);
        log.info("postgres: promoting");
        boolean promoted;
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT pg_promote(true, " + PROMOTE_WAIT_SECONDS + ")")) {
          rs.next();
          promoted = rs.getBoolean(1);
        }
        if (!promoted || inRecovery(c)) {
          throw new PostgresException("PostgreSQL did not leave recovery within "
              + PROMOTE_WAIT_SECONDS + " s of pg_promote");
        }
        return false;
      });
      if (alreadyPrimary) {
        log.info("postgres: not promoting pid {}: already a primary", pm.pid());
        return;
      }
    } catch (SQLException e) {
      throw new PostgresException(SqlErrors.describe("promoting", e), e);
    }
    roles = new ConfigFiles.Roles(Optional.empty(), roles.synchronousStandbyNames());
    log.debug("postgres: promoted in {} ms", millisSince(begun));
  }

  /**
   * Makes PostgreSQL's next timeline one above {@code timelineAbove}: it takes the newest timeline
   * whose history file it finds, counting up from its own without a gap, plus one. The files
   * written for the timelines in between hold only a comment; nothing reads them, since no node
   * of this history is on those timelines.
   */
  private void reserveTimelines(Connection c, long timelineAbove)
      throws SQLException, PostgresException {
    long own;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT timeline_id FROM pg_control_checkpoint()")) {
      rs.next();
      own = rs.getLong(1);
    }
    if (timelineAbove - own > MAX_RESERVED_TIMELINES) {
      throw new PostgresException("not promoting: told to take a timeline above " + timelineAbove
          + ", more than " + MAX_RESERVED_TIMELINES + " above this node's " + own);
    }
    Path walDir = settings.dataDir().resolve("pg_wal");
    List<Long> reserved = new ArrayList<>();
    for (long timeline = own + 1; timeline <= timelineAbove; timeline++) {
      Path history = walDir.resolve(String.format("%08X.history", timeline));
      if (Files.exists(history)) {
        continue;
      }
      try {
        osUser.write(history, "# Timeline " + timeline + " reserved by Baton: a promotion on"
            + " another node may have taken it, so this node's promotion must not.\n");
      } catch (IOException e) {
        throw new PostgresException("cannot reserve timeline " + timeline + " before promoting: "
            + e.getMessage(), e);
      }
      reserved.add(timeline);
    }
    if (!reserved.isEmpty()) {
      log.info("postgres: promoting to a timeline above {}: timelines {} reserved", timelineAbove,
          reserved);
    }
  }

  /** Re-points the standby by a reload: PostgreSQL 15 restarts its WAL receiver by itself. */
  @Override
  public void follow(Upstream upstream) throws PostgresException {
    requireRunning("follow " + upstream.node());
    try {
      onLocalConnection(ACTION_TIMEOUTS, c -> {
        if (!inRecovery(c)) {
          throw new PostgresException("cannot follow " + upstream.node() + ": PostgreSQL is a"
              + " primary, not a standby");
        }
        log.info("postgres: following {} at {}:{}", upstream.node(), upstream.host(),
            upstream.port());
        ConfigFiles.Roles newRoles =
            new ConfigFiles.Roles(Optional.of(upstream), roles.synchronousStandbyNames());
        writeAgentFiles(newRoles);
        roles = newRoles;
        reloadAndAwait(c, "primary_conninfo",
            ConfigFiles.primaryConninfo(settings, pgpassFile, upstream));
        return null;
      });
    } catch (SQLException e) {
      throw new PostgresException(SqlErrors.describe("following " + upstream.node(), e), e);
    }
  }

  @Override
  public void setSynchronousStandbyNames(String value) throws PostgresException {
    requireOneLine(value);
    requireRunning("set synchronous_standby_names");
    log.info("postgres: setting synchronous_standby_names to '{}'", value);
    ConfigFiles.Roles newRoles = new ConfigFiles.Roles(roles.upstream(), value);
    writeAgentFiles(newRoles);
    roles = newRoles;
    try {
      onLocalConnection(ACTION_TIMEOUTS, c -> {
        reloadAndAwait(c, "synchronous_standby_names", value);
        return null;
      });
    } catch (SQLException e) {
      throw new PostgresException(SqlErrors.describe("setting synchronous_standby_names", e), e);
    }
  }

  private void reloadAndAwait(Connection c, String setting, String expected)
      throws SQLException, PostgresException {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_reload_conf()");
    }
    // pg_reload_conf() only signals the postmaster; this session sees the new value once the
    // postmaster has re-read the file and passed the signal on.
    long deadline = System.nanoTime() + SETTING_WAIT.toNanos();
    String actual;
    try (PreparedStatement s = c.prepareStatement("SELECT current_setting(?)")) {
      s.setString(1, setting);
      while (true) {
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          actual = rs.getString(1);
        }
        if (expected.equals(actual) || System.nanoTime() - deadline > 0) {
          break;
        }
        pause("waiting for " + setting + " to take effect");
      }
    }
    if (!expected.equals(actual)) {
      throw new PostgresException(setting + " did not take effect within "
          + SETTING_WAIT.toSeconds() + " s of the reload (does PostgreSQL run with config_file="
          + configFile + "? see " + logFile + ")");
    }
  }

  /**
   * Runs pg_rewind against {@code source} after a {@code CHECKPOINT} there: right after a
   * promotion the source's control file may still show the old timeline, and pg_rewind would
   * then wrongly find nothing to do.
   */
  @Override
  public void rewind(Upstream source) throws PostgresException {
    Optional<Postmaster> running = runningPostmaster();
    if (running.isPresent()) {
      throw new PostgresException("cannot rewind: PostgreSQL runs (pid " + running.get().pid()
          + "); stop it first");
    }
    requireDataDirectory();
    long begun = System.nanoTime();
    awaitPreviousServerGone(Instant.now().plus(settings.startTimeout()), "rewind");
    log.info("postgres: rewinding from {} at {}:{}", source.node(), source.host(),
        source.port());
    try (Connection c = connect(source.host(), source.port(), CHECKPOINT_TIMEOUTS);
        Statement s = c.createStatement()) {
      s.execute("CHECKPOINT");
    } catch (SQLException e) {
      throw new PostgresException(SqlErrors.describe("CHECKPOINT on " + source.node()
          + " before pg_rewind", e), e);
    }
    // pg_rewind first crash-recovers an uncleanly stopped target in single-user mode, which
    // fails on a data directory with standby.signal.
    setStandbySignal(false);
    ConfigFiles.Roles newRoles = new ConfigFiles.Roles(Optional.of(source), "");
    writeAgentFiles(newRoles);
    ToolResult result = runTool("pg_rewind", List.of(tool("pg_rewind"),
            "--target-pgdata=" + settings.dataDir(),
            "--source-server=" + ConfigFiles.rewindSource(settings, pgpassFile, source),
            "--config-file=" + configFile),
        Map.of("PGPASSFILE", pgpassFile.toString()), settings.rewindTimeout());
    controlDataCache = null;
    if (result.exitCode() != 0) {
      throw new PostgresException("pg_rewind from " + source.node() + " failed (exit "
          + result.exitCode() + "):\n" + lastLines(result.output(), 15));
    }
    setStandbySignal(true);
    roles = newRoles;
    log.debug("postgres: {} from {} in {} ms",
        result.output().contains("no rewind required") ? "no rewind required" : "rewound",
        source.node(), millisSince(begun));
  }

  // ---------------------------------------------------------------------------------------------
  // data directory and reachability

  /**
   * pg_controldata's view, run again only when {@code global/pg_control} changed (or after any
   * action of this class), since it is a process of its own and observe() asks often.
   */
  @Override
  public Optional<DataDirectoryStatus> controlData() {
    try {
      boolean signal = Files.exists(standbySignal);
      return readControlData().map(data -> data.status(signal));
    } catch (RuntimeException e) {
      noteControlDataProblem("pg_controldata: " + e);
      return Optional.empty();
    }
  }

  private Optional<ControlData> readControlData() {
    Path pgControl = settings.dataDir().resolve("global").resolve("pg_control");
    FileStamp stamp;
    try {
      BasicFileAttributes attributes = Files.readAttributes(pgControl, BasicFileAttributes.class);
      stamp = new FileStamp(attributes.lastModifiedTime(), attributes.size(),
          Objects.toString(attributes.fileKey()));
    } catch (IOException e) {
      noteControlDataProblem("cannot read " + pgControl + ": " + e);
      return Optional.empty();
    }
    ControlDataCache cached = controlDataCache;
    if (cached != null && cached.stamp().equals(stamp)
        && (cached.data().isPresent() || Instant.now().isBefore(cached.retryAt()))) {
      return cached.data();
    }
    Optional<ControlData> data = Optional.empty();
    try {
      ToolResult result = runTool("pg_controldata",
          List.of(tool("pg_controldata"), "-D", settings.dataDir().toString()), Map.of(),
          CONTROL_DATA_TIMEOUT);
      if (result.exitCode() != 0) {
        noteControlDataProblem("pg_controldata failed (exit " + result.exitCode() + "): "
            + lastLines(result.output(), 3));
      } else {
        data = Optional.of(ControlData.parse(result.output()));
      }
    } catch (PostgresException | IllegalArgumentException e) {
      noteControlDataProblem(e.getMessage());
    }
    controlDataCache = new ControlDataCache(stamp, data, Instant.now().plus(CONTROL_DATA_RETRY));
    return data;
  }

  private void noteControlDataProblem(String problem) {
    if (!problem.equals(controlDataProblem)) {
      log.warn("postgres: no control data: {}", problem);
    }
    controlDataProblem = problem;
  }

  @Override
  public boolean reachable(Upstream upstream) {
    try (Connection c = connect(upstream.host(), upstream.port(), REACHABLE_TIMEOUTS);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      return rs.next();
    } catch (SQLException e) {
      log.debug("postgres: {} unreachable: {}", upstream.node(),
          SqlErrors.describe(upstream.host() + ":" + upstream.port(), e));
      return false;
    }
  }

  /** Closes the observation connection; PostgreSQL keeps running. */
  @Override
  public void close() {
    synchronized (observeLock) {
      closeObserver();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // the postmaster

  /** A postmaster of this data directory: a child of the agent, or one found running. */
  private record Postmaster(ProcessHandle handle, Optional<Process> child) {
    long pid() {
      return handle.pid();
    }

    boolean alive() {
      // The JVM reaps its own children at once; others count as dead once they are zombies.
      return child.map(Process::isAlive).orElseGet(() -> OsProcesses.isLive(handle.pid()));
    }

    boolean awaitExit(Duration timeout) {
      if (child.isEmpty()) {
        return OsProcesses.awaitGone(List.of(handle), timeout);
      }
      try {
        return child.get().waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !alive();
      }
    }

    String exitDescription() {
      return child.filter(p -> !p.isAlive())
          .map(p -> " (exit code " + p.exitValue() + ")")
          .orElse("");
    }
  }

  /**
   * The running postmaster: the one the agent knows if it still lives, else whichever
   * postmaster.pid names, if that process lives and works in this data directory.
   */
  private Optional<Postmaster> runningPostmaster() {
    if (!killed.isEmpty()) {
      killed.removeIf(pid -> !OsProcesses.isLive(pid));
    }
    Postmaster known = postmaster.get();
    if (known != null && known.alive()) {
      return killed.contains(known.pid()) ? Optional.empty() : Optional.of(known);
    }
    OptionalLong pid = lockFilePid();
    if (pid.isEmpty() || (known != null && known.pid() == pid.getAsLong())
        || !OsProcesses.isLive(pid.getAsLong()) || killed.contains(pid.getAsLong())) {
      return Optional.empty();
    }
    Optional<Path> dataDir = realDataDir();
    // postmaster.pid is PostgreSQL's OS user's to write: adopt (and later signal) only a process
    // of that user working in this data directory, never whatever pid it names.
    if (dataDir.isEmpty()
        || !OsProcesses.workingDirectory(pid.getAsLong()).equals(dataDir)
        || !OsProcesses.sameOwner(pid.getAsLong(), dataDir.get())) {
      return Optional.empty();
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid.getAsLong());
    if (handle.isEmpty()) {
      return Optional.empty();
    }
    Postmaster adopted = new Postmaster(handle.get(), Optional.empty());
    if (postmaster.compareAndSet(known, adopted)) {
      log.info("postgres: found postmaster pid {} running for {}", adopted.pid(),
          settings.dataDir());
      watch(adopted);
      return Optional.of(adopted);
    }
    return Optional.ofNullable(postmaster.get()).filter(Postmaster::alive);
  }

  private void watch(Postmaster pm) {
    if (pm.child().isPresent()) {
      pm.child().get().onExit().thenRun(() -> exited(pm));
      return;
    }
    // ProcessHandle.onExit() of a non-child only fires once the zombie is reaped: seconds here.
    Thread watcher = new Thread(() -> {
      while (OsProcesses.isLive(pm.pid())) {
        OsProcesses.sleep(Duration.ofMillis(50));
      }
      exited(pm);
    }, "postgres-exit-" + pm.pid());
    watcher.setDaemon(true);
    watcher.start();
  }

  private void exited(Postmaster pm) {
    log.info("postgres: postmaster pid {} exited{}", pm.pid(), pm.exitDescription());
    for (Runnable listener : exitListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.warn("postgres: postmaster exit listener failed: {}", e.toString(), e);
      }
    }
  }

  private Postmaster requireRunning(String action) throws PostgresException {
    return runningPostmaster().orElseThrow(() ->
        new PostgresException("cannot " + action + ": PostgreSQL is not running"));
  }

  /** The postmaster and every process it has forked. */
  private static List<ProcessHandle> processesOf(Postmaster pm) {
    List<ProcessHandle> processes = new ArrayList<>();
    processes.add(pm.handle());
    pm.handle().descendants().forEach(processes::add);
    return processes;
  }

  private OptionalLong lockFilePid() {
    return pidOf(lockFileLines());
  }

  /**
   * The status line of the lock file, if the lock file is this postmaster's: until a starting
   * postmaster rewrites it, the file a killed one left behind still says "ready".
   */
  private Optional<String> lockFileStatusOf(Postmaster pm) {
    List<String> lines = lockFileLines();
    OptionalLong owner = pidOf(lines);
    if (owner.isEmpty() || owner.getAsLong() != pm.pid() || lines.size() <= LOCK_FILE_STATUS_LINE) {
      return Optional.empty();
    }
    return Optional.of(lines.get(LOCK_FILE_STATUS_LINE).strip());
  }

  private static OptionalLong pidOf(List<String> lockFileLines) {
    try {
      return lockFileLines.isEmpty() ? OptionalLong.empty()
          : OptionalLong.of(Long.parseLong(lockFileLines.get(0).strip()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private List<String> lockFileLines() {
    try {
      return Files.readAllLines(lockFile, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      // Absent, or half-written by a starting postmaster: nothing to go by yet.
      return List.of();
    }
  }

  private void deleteStaleLockFile() throws PostgresException {
    try {
      Files.deleteIfExists(lockFile);
    } catch (IOException e) {
      throw new PostgresException("could not remove stale " + lockFile + ": " + e.getMessage(), e);
    }
  }

  private Optional<Path> realDataDir() {
    try {
      return Optional.of(settings.dataDir().toRealPath());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // files

  private void requireDataDirectory() throws PostgresException {
    if (!Files.isRegularFile(settings.dataDir().resolve("PG_VERSION"))) {
      throw new PostgresException("no PostgreSQL data directory at " + settings.dataDir());
    }
  }

  /** The pgpass file and the agent's configuration file, for {@code roles}. */
  private void writeAgentFiles(ConfigFiles.Roles forRoles) throws PostgresException {
    try {
      osUser.directory(settings.stateDir());
      osUser.write(pgpassFile, ConfigFiles.pgpass(settings.user(), settings.password()));
      osUser.write(configFile, ConfigFiles.agentConfig(settings, pgpassFile, forRoles));
    } catch (IOException e) {
      throw new PostgresException("could not write the agent's PostgreSQL files in "
          + settings.stateDir() + ": " + e, e);
    }
  }

  /**
   * Takes every setting the agent manages out of {@code postgresql.auto.conf}, which PostgreSQL
   * reads last: a copy from another node (by pg_rewind or pg_basebackup) would otherwise
   * override the agent's file with that node's settings.
   */
  private void sanitizeAutoConf() throws PostgresException {
    Path autoConf = settings.dataDir().resolve("postgresql.auto.conf");
    try {
      String text = new String(Files.readAllBytes(autoConf), StandardCharsets.UTF_8);
      Set<String> keys = new HashSet<>(ConfigFiles.MANAGED_SETTINGS);
      keys.addAll(settings.parameters().keySet());
      Optional<ConfigFiles.Sanitized> sanitized = ConfigFiles.withoutSettings(text, keys);
      if (sanitized.isPresent()) {
        osUser.write(autoConf, sanitized.get().text());
        // Names only: a copied primary_conninfo may hold a password.
        log.info("postgres: removed {} from postgresql.auto.conf (the agent's file sets them)",
            sanitized.get().removed());
      }
    } catch (NoSuchFileException e) {
      // Nothing to take out.
    } catch (IOException e) {
      throw new PostgresException("could not rewrite " + autoConf + ": " + e, e);
    }
  }

  private void setStandbySignal(boolean present) throws PostgresException {
    try {
      if (present) {
        osUser.touch(standbySignal);
      } else {
        Files.deleteIfExists(standbySignal);
      }
    } catch (IOException e) {
      throw new PostgresException("could not " + (present ? "create " : "remove ")
          + standbySignal + ": " + e, e);
    }
  }

  /** Creates the log file if needed; returns its size, where this start's output begins. */
  private long prepareLogFile() throws PostgresException {
    try {
      osUser.touch(logFile);
      return Files.size(logFile);
    } catch (IOException e) {
      throw new PostgresException("could not create " + logFile + ": " + e, e);
    }
  }

  private long logSize() {
    try {
      return Files.size(logFile);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The last lines the server wrote since {@code fromOffset}. */
  private String logTail(long fromOffset) {
    try (SeekableByteChannel channel = Files.newByteChannel(logFile)) {
      long size = channel.size();
      long start = Math.max(fromOffset, size - 16_384);
      if (start >= size) {
        return "(nothing)";
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) (size - start));
      channel.position(start);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // Until the buffer is full or the file ends.
      }
      return lastLines(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8),
          LOG_TAIL_LINES);
    } catch (IOException e) {
      return "(could not read " + logFile + ": " + e + ")";
    }
  }

  private static String lastLines(String text, int count) {
    List<String> lines = Arrays.asList(text.strip().split("\n"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }

  // ---------------------------------------------------------------------------------------------
  // tools and connections

  private record ToolResult(int exitCode, String output) {}

  /** Runs a PostgreSQL tool as the OS user, its output (stdout and stderr) captured. */
  private ToolResult runTool(String name, List<String> command, Map<String, String> env,
      Duration timeout) throws PostgresException {
    Path output = null;
    try {
      output = Files.createTempFile("baton-" + name + "-", ".out");
      ProcessBuilder builder = new ProcessBuilder(osUser.command(command))
          .directory(Files.isDirectory(settings.stateDir())
              ? settings.stateDir().toFile() : new File("/"))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true)
          .redirectOutput(output.toFile());
      cleanEnvironment(builder, env);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new PostgresException(name + " did not finish within " + timeout.toSeconds()
            + " s and was killed");
      }
      return new ToolResult(process.exitValue(),
          new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new PostgresException("could not run " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PostgresException("interrupted while running " + name, e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          log.debug("postgres: could not remove {}: {}", output, e.toString());
        }
      }
    }
  }

  /**
   * Only what PostgreSQL needs: the agent's environment may hold secrets (the database password
   * itself, Kafka credentials) that would otherwise be readable in the server's
   * /proc/pid/environ by its OS user. LC_ALL=C keeps tool output parseable.
   */
  private static void cleanEnvironment(ProcessBuilder builder, Map<String, String> extra) {
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("LC_ALL", "C");
    env.putAll(extra);
  }

  private String tool(String name) {
    return settings.binDir().resolve(name).toString();
  }

  private record Timeouts(int connectSeconds, int socketSeconds, int loginSeconds) {}

  /** A JDBC connection as the agent's role: password in the properties, never in the URL. */
  private Connection connect(String host, int port, Timeouts timeouts) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", settings.user());
    props.setProperty("password", settings.password());
    props.setProperty("connectTimeout", Integer.toString(timeouts.connectSeconds()));
    props.setProperty("socketTimeout", Integer.toString(timeouts.socketSeconds()));
    if (timeouts.loginSeconds() > 0) {
      props.setProperty("loginTimeout", Integer.toString(timeouts.loginSeconds()));
    }
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("ApplicationName", "baton-agent");
    // The TLS handshake and the certificate check come before the password is sent.
    props.setProperty("sslmode", settings.sslMode().wire());
    settings.sslRootCert().ifPresent(p -> props.setProperty("sslrootcert", p.toString()));
    // Settings go in the startup packet instead of extra round trips.
    props.setProperty("assumeMinServerVersion", "15");
    String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    String url = "jdbc:postgresql://" + hostPart + ":" + port + "/"
        + URLEncoder.encode(settings.database(), StandardCharsets.UTF_8);
    Connection connection = DRIVER.connect(url, props);
    if (connection == null) {
      throw new SQLException("the PostgreSQL driver does not accept " + url, "08001");
    }
    return connection;
  }

  private static boolean inRecovery(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private String currentSetting(String name) throws PostgresException {
    try (Connection c = connect(settings.host(), settings.port(), ACTION_TIMEOUTS);
        PreparedStatement s = c.prepareStatement("SELECT current_setting(?)")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw new PostgresException(SqlErrors.describe("reading " + name, e), e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // small things

  private record AuthFailure(long pid, Instant retryAt, PostgresStatus status) {}

  private record FileStamp(FileTime modified, long size, String fileKey) {}

  private record ControlDataCache(FileStamp stamp, Optional<ControlData> data, Instant retryAt) {}

  private static Optional<Lsn> lsn(String text) {
    return Optional.ofNullable(text).map(Lsn::parse);
  }

  /** The timeline is the first 8 hex digits of a WAL file name. */
  static OptionalLong timelineOfWalFile(String walFile) {
    return walFile.length() >= 8
        ? OptionalLong.of(Long.parseLong(walFile.substring(0, 8), 16))
        : OptionalLong.empty();
  }

  private static void requireOneLine(String synchronousStandbyNames) throws PostgresException {
    if (synchronousStandbyNames.indexOf('\n') >= 0 || synchronousStandbyNames.indexOf('\r') >= 0) {
      throw new PostgresException("synchronous_standby_names must be one line");
    }
  }

  private static String describe(StartAs mode) {
    if (mode instanceof StartAs.Primary) {
      return "primary";
    }
    return ((StartAs.Standby) mode).upstream().map(up -> "standby of " + up.node())
        .orElse("standby");
  }

  private static void pause(String what) throws PostgresException {
    OsProcesses.sleep(POLL);
    if (Thread.currentThread().isInterrupted()) {
      throw new PostgresException("interrupted while " + what);
    }
  }

  private static String pids(List<ProcessHandle> processes) {
    return processes.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", "));
  }

  private static long millisSince(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
  }
}
