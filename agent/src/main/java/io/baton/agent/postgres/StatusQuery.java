package io.baton.agent.postgres;

import io.baton.events.DataDirectoryStatus;
import io.baton.events.Health;
import io.baton.events.Lsn;
import io.baton.events.PostgresStatus;
import io.baton.events.ReceiverStatus;
import io.baton.events.ReplicaStatus;
import io.baton.events.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observes the local server through one kept-open connection (one round trip, read into a {@link
 * PostgresStatus}), tells a starting server from an unreachable one, and lends that connection
 * to the actions.
 */
final class StatusQuery {
  /** Logs as LocalPostgres, the one name all of the agent's PostgreSQL lines carry. */
  private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
  private static final Duration AUTH_FAILURE_BACKOFF = Duration.ofSeconds(5);
  static final PostgresTools.Timeouts OBSERVE_TIMEOUTS = new PostgresTools.Timeouts(1, 2, 0);

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
  private final PostgresTools tools;
  private final PostmasterTracker postmasters;
  private final ControlDataReader controlData;
  private final Object observeLock = new Object();
  /** Guarded by observeLock. */
  private Observer observer;
  /** Guarded by observeLock: the last authentication failure, repeated instead of retried. */
  private Optional<AuthFailure> authFailure = Optional.empty();

  StatusQuery(PostgresSettings settings, PostgresTools tools, PostmasterTracker postmasters,
      ControlDataReader controlData) {
    this.settings = settings;
    this.tools = tools;
    this.postmasters = postmasters;
    this.controlData = controlData;
  }

  /** See {@link LocalPostgres#observe()}. */
  PostgresStatus observe() {
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
    Optional<Postmaster> running = postmasters.running();
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
    Optional<String> state = postmasters.lockFileStatusOf(pm);
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
      Connection connection = tools.connect(settings.host(), settings.port(), OBSERVE_TIMEOUTS);
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
  interface SqlWork<T> {
    T on(Connection connection) throws SQLException, PostgresException;
  }

  /**
   * Runs an action on the kept-open connection, with the action's own socket timeout: a fresh
   * login costs 50-150 ms of SCRAM here, which a promotion or a re-pointing should not wait for.
   * Observations and actions run on the agent's one loop thread, never at the same time.
   */
  <T> T onLocalConnection(PostgresTools.Timeouts timeouts, SqlWork<T> work)
      throws SQLException, PostgresException {
    if (observer != null && !observer.connection().isValid(1)) {
      // Its session may have been terminated or the server restarted since the last look.
      closeObserver();
    }
    Connection c = observer().connection();
    int observing = c.getNetworkTimeout();
    c.setNetworkTimeout(Runnable::run,
        (int) Duration.ofSeconds(timeouts.socketSeconds()).toMillis());
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
          walFile.map(StatusQuery::timelineOfWalFile).orElse(OptionalLong.empty()),
          currentLsn, Optional.empty(), Optional.empty(), Optional.empty(), replicas,
          Optional.of(synchronousNames), Optional.of(version), Optional.of(systemIdentifier),
          Optional.empty(), Optional.empty());
    }
    // The receiver's timeline, while it runs; else the newest history file it received; the last
    // restartpoint's timeline only as a floor.
    long newest = Math.max(checkpointTimeline,
        Math.max(historyTimeline, receiver.receivedTimeline().orElse(0)));
    OptionalLong timeline = newest > 0 ? OptionalLong.of(newest) : OptionalLong.empty();
    return new PostgresStatus(Health.UP, Role.STANDBY, settings.host(), settings.port(),
        timeline, Optional.empty(), receivedLsn, replayedLsn, Optional.of(receiver), List.of(),
        Optional.empty(), Optional.of(version), Optional.of(systemIdentifier),
        Optional.empty(), Optional.empty());
  }

  private PostgresStatus down() {
    Optional<DataDirectoryStatus> data = controlData.status();
    return new PostgresStatus(Health.DOWN, Role.UNKNOWN, settings.host(), settings.port(),
        OptionalLong.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
        data.map(DataDirectoryStatus::systemIdentifier), data,
        data.isPresent() ? Optional.empty() : Optional.of(controlData.problem()));
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

  /** Closes the observation connection. */
  void close() {
    synchronized (observeLock) {
      closeObserver();
    }
  }

  private record AuthFailure(long pid, Instant retryAt, PostgresStatus status) {}

  private static Optional<Lsn> lsn(String text) {
    return Optional.ofNullable(text).map(Lsn::parse);
  }

  /** The timeline is the first 8 hex digits of a WAL file name. */
  static OptionalLong timelineOfWalFile(String walFile) {
    return walFile.length() >= 8
        ? OptionalLong.of(Long.parseLong(walFile.substring(0, 8), 16))
        : OptionalLong.empty();
  }
}
