package io.baton.agent.postgres;

import io.baton.events.DataDirectoryStatus;
import io.baton.events.PostgresStatus;
import io.baton.events.Upstream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
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
  private static final PostgresTools.Timeouts CHECKPOINT_TIMEOUTS =
      new PostgresTools.Timeouts(5, 600, 0);
  private static final PostgresTools.Timeouts REACHABLE_TIMEOUTS =
      new PostgresTools.Timeouts(2, 2, 2);

  private final PostgresSettings settings;
  private final OsUser osUser;
  private final DataDirectoryFiles files;
  private final PostgresTools tools;
  private final PostmasterTracker postmasters;
  private final ControlDataReader controlData;
  private final StatusQuery statusQuery;
  private final ServerShutdown shutdown;
  private final ServerSql serverSql;

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
    this.files = new DataDirectoryFiles(settings, osUser);
    this.tools = new PostgresTools(settings, osUser);
    this.postmasters = new PostmasterTracker(settings);
    this.controlData = new ControlDataReader(settings, tools, files);
    this.statusQuery = new StatusQuery(settings, tools, postmasters, controlData);
    this.shutdown = new ServerShutdown(settings, postmasters, controlData);
    this.serverSql = new ServerSql(settings, osUser, files, tools, shutdown);
  }

  public PostgresSettings settings() {
    return settings;
  }

  /** The agent's configuration file, PostgreSQL's {@code config_file}. */
  public Path configFile() {
    return files.configFile();
  }

  public Path pgpassFile() {
    return files.pgpassFile();
  }

  /** Where the server's output goes. */
  public Path logFile() {
    return files.logFile();
  }

  /**
   * Calls {@code listener} whenever a postmaster of this data directory exits, however it ended
   * (a stop, a fence, a crash, a kill by someone else): at once for a postmaster the agent
   * started, within ~50 ms for one it adopted. Called on an internal thread; it must not block.
   */
  public void onPostmasterExit(Runnable listener) {
    postmasters.onExit(listener);
  }

  @Override
  public OptionalLong postmasterPid() {
    return postmasters.running().map(pm -> OptionalLong.of(pm.pid())).orElse(OptionalLong.empty());
  }

  @Override
  public boolean possiblyWritable() {
    return postmasters.running().isPresent() && !files.standbySignalExists();
  }

  @Override
  public PostgresStatus observe() {
    return statusQuery.observe();
  }

  /**
   * Starts PostgreSQL as a child process and returns once it accepts connections. A server still
   * not answering when the start timeout passes is left running (crash recovery may simply take
   * longer, and killing it would restart that from scratch): the exception says so, and {@link
   * #observe()} reports it as starting. If PostgreSQL already runs, this checks that it runs in
   * the requested role and applies the mode's settings without a restart.
   */
  @Override
  public void start(StartAs mode) throws PostgresException {
    long fencesBefore = shutdown.fences();
    long begun = System.nanoTime();
    Instant deadline = Instant.now().plus(settings.startTimeout());
    Optional<Postmaster> running = postmasters.running();
    if (running.isPresent()) {
      adjustRunning(mode, running.get(), deadline);
      return;
    }
    files.requireDataDirectory();
    if (mode instanceof StartAs.Primary) {
      requireOneLine(((StartAs.Primary) mode).synchronousStandbyNames());
    }
    log.info("postgres: starting as {}", describe(mode));
    postmasters.awaitPreviousServerGone(deadline, "start");
    ConfigFiles.Roles newRoles = rolesFor(mode);
    files.writeAgentFiles(newRoles);
    roles = newRoles;
    files.sanitizeAutoConf();
    files.setStandbySignal(mode instanceof StartAs.Standby);
    long logOffset = files.prepareLogFile();
    Process process = tools.launch(files.configFile(), files.logFile());
    Postmaster pm = postmasters.launched(process);
    controlData.forget();
    if (shutdown.fences() != fencesBefore) {
      // A fence ran after this start began but may have looked before the postmaster existed.
      fence();
      throw new PostgresException("PostgreSQL was fenced while starting");
    }
    serverSql.awaitAcceptingConnections(pm, deadline, logOffset, fencesBefore);
    log.debug("postgres: started as {} (pid {}) in {} ms", describe(mode), pm.pid(),
        millisSince(begun));
  }

  private void adjustRunning(StartAs mode, Postmaster pm, Instant deadline)
      throws PostgresException {
    boolean inRecovery =
        serverSql.awaitAcceptingConnections(pm, deadline, files.logSize(), shutdown.fences());
    boolean standby = mode instanceof StartAs.Standby;
    if (inRecovery != standby) {
      throw new PostgresException("PostgreSQL already runs (pid " + pm.pid() + ") as a "
          + (inRecovery ? "standby" : "primary") + ": stop it before starting it as "
          + describe(mode));
    }
    String actualConfigFile = serverSql.currentSetting("config_file");
    if (!actualConfigFile.equals(files.configFile().toString())) {
      throw new PostgresException("PostgreSQL already runs (pid " + pm.pid() + ") with config_file"
          + " " + actualConfigFile + " rather than the agent's " + files.configFile()
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

  /**
   * A fast shutdown: sessions are ended, a shutdown checkpoint is written and sent to every
   * connected standby. If that takes longer than the stop timeout the server is fenced instead
   * (and its data directory then needs crash recovery).
   */
  @Override
  public void stopCleanly() throws PostgresException {
    shutdown.stopCleanly();
  }

  /**
   * Immediate shutdown, then SIGKILL for whatever is left a second later, including server
   * processes a dead postmaster left behind. Takes no lock, so that it works while any other
   * action runs; a start it overtakes kills what it launched.
   */
  @Override
  public void fence() {
    shutdown.fence();
  }

  @Override
  public void promote(long timelineAbove) throws PostgresException {
    Postmaster pm = postmasters.requireRunning("promote");
    long begun = System.nanoTime();
    try {
      boolean alreadyPrimary = statusQuery.onLocalConnection(ServerSql.PROMOTE_TIMEOUTS, c -> {
        if (!ServerSql.inRecovery(c)) {
          return true;
        }
        serverSql.promote(c, timelineAbove);
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

  /** Re-points the standby by a reload: PostgreSQL 15 restarts its WAL receiver by itself. */
  @Override
  public void follow(Upstream upstream) throws PostgresException {
    postmasters.requireRunning("follow " + upstream.node());
    try {
      statusQuery.onLocalConnection(ServerSql.ACTION_TIMEOUTS, c -> {
        if (!ServerSql.inRecovery(c)) {
          throw new PostgresException("cannot follow " + upstream.node() + ": PostgreSQL is a"
              + " primary, not a standby");
        }
        log.info("postgres: following {} at {}:{}", upstream.node(), upstream.host(),
            upstream.port());
        ConfigFiles.Roles newRoles =
            new ConfigFiles.Roles(Optional.of(upstream), roles.synchronousStandbyNames());
        files.writeAgentFiles(newRoles);
        roles = newRoles;
        serverSql.reloadAndAwait(c, "primary_conninfo",
            ConfigFiles.primaryConninfo(settings, files.pgpassFile(), upstream));
        return null;
      });
    } catch (SQLException e) {
      throw new PostgresException(SqlErrors.describe("following " + upstream.node(), e), e);
    }
  }

  @Override
  public void setSynchronousStandbyNames(String value) throws PostgresException {
    requireOneLine(value);
    postmasters.requireRunning("set synchronous_standby_names");
    log.info("postgres: setting synchronous_standby_names to '{}'", value);
    ConfigFiles.Roles newRoles = new ConfigFiles.Roles(roles.upstream(), value);
    files.writeAgentFiles(newRoles);
    roles = newRoles;
    try {
      statusQuery.onLocalConnection(ServerSql.ACTION_TIMEOUTS, c -> {
        serverSql.reloadAndAwait(c, "synchronous_standby_names", value);
        return null;
      });
    } catch (SQLException e) {
      throw new PostgresException(SqlErrors.describe("setting synchronous_standby_names", e), e);
    }
  }

  /**
   * Runs pg_rewind against {@code source} after a {@code CHECKPOINT} there: right after a
   * promotion the source's control file may still show the old timeline, and pg_rewind would
   * then wrongly find nothing to do.
   */
  @Override
  public void rewind(Upstream source) throws PostgresException {
    Optional<Postmaster> running = postmasters.running();
    if (running.isPresent()) {
      throw new PostgresException("cannot rewind: PostgreSQL runs (pid " + running.get().pid()
          + "); stop it first");
    }
    files.requireDataDirectory();
    long begun = System.nanoTime();
    postmasters.awaitPreviousServerGone(Instant.now().plus(settings.startTimeout()), "rewind");
    log.info("postgres: rewinding from {} at {}:{}", source.node(), source.host(),
        source.port());
    checkpointOnItsTimeline(source);
    // pg_rewind first crash-recovers an uncleanly stopped target in single-user mode, which
    // fails on a data directory with standby.signal.
    files.setStandbySignal(false);
    ConfigFiles.Roles newRoles = new ConfigFiles.Roles(Optional.of(source), "");
    files.writeAgentFiles(newRoles);
    PostgresTools.ToolResult result = tools.runTool("pg_rewind", List.of(tools.tool("pg_rewind"),
            "--target-pgdata=" + settings.dataDir(),
            "--source-server=" + ConfigFiles.rewindSource(settings, files.pgpassFile(), source),
            "--config-file=" + files.configFile()),
        Map.of("PGPASSFILE", files.pgpassFile().toString()), settings.rewindTimeout());
    controlData.forget();
    if (result.exitCode() != 0) {
      throw new PostgresException("pg_rewind from " + source.node() + " failed (exit "
          + result.exitCode() + "):\n" + DataDirectoryFiles.lastLines(result.output(), 15));
    }
    files.setStandbySignal(true);
    roles = newRoles;
    log.debug("postgres: {} from {} in {} ms",
        result.output().contains("no rewind required") ? "no rewind required" : "rewound",
        source.node(), millisSince(begun));
  }
  /**
   * A CHECKPOINT on the source, which must be a primary by then: pg_rewind reads the source's
   * timeline from its control file, which a promotion updates only at its next checkpoint. A
   * CHECKPOINT taken while the source was still a standby (a switchover target still promoting)
   * is a restartpoint that leaves the old timeline there, and pg_rewind would then write a minimum
   * recovery point on the wrong timeline: a data directory that never starts again (found by the
   * fault campaign, seed 1203, step 26).
   */
  private void checkpointOnItsTimeline(Upstream source) throws PostgresException {
    try (Connection c = tools.connect(source.host(), source.port(), CHECKPOINT_TIMEOUTS);
        Statement s = c.createStatement()) {
      if (ServerSql.inRecovery(c)) {
        throw new PostgresException("cannot rewind from " + source.node() + " yet: it is still"
            + " in recovery (its promotion has not finished)");
      }
      s.execute("CHECKPOINT");
      try (ResultSet rs = s.executeQuery("SELECT (SELECT timeline_id FROM pg_control_checkpoint()),"
          + " pg_walfile_name(pg_current_wal_lsn())")) {
        rs.next();
        long checkpointed = rs.getLong(1);
        long current = StatusQuery.timelineOfWalFile(rs.getString(2)).orElse(checkpointed);
        if (checkpointed != current) {
          throw new PostgresException("cannot rewind from " + source.node() + " yet: its control"
              + " file shows timeline " + checkpointed + " after a CHECKPOINT, its WAL timeline "
              + current);
        }
      }
    } catch (SQLException e) {
      throw new PostgresException(SqlErrors.describe("CHECKPOINT on " + source.node()
          + " before pg_rewind", e), e);
    }
  }

  /**
   * pg_controldata's view, run again only when {@code global/pg_control} changed (or after any
   * action of this class), since it is a process of its own and observe() asks often.
   */
  @Override
  public Optional<DataDirectoryStatus> controlData() {
    return controlData.status();
  }

  @Override
  public boolean reachable(Upstream upstream) {
    try (Connection c = tools.connect(upstream.host(), upstream.port(), REACHABLE_TIMEOUTS);
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
    statusQuery.close();
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

  static long millisSince(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
  }
}
