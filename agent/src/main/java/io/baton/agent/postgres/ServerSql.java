package io.baton.agent.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL with which the actions wait for, read and change the local server: its first answer
 * after a start, its recovery state and settings, a promotion onto a timeline above a given one,
 * and a configuration reload awaited until a setting shows its new value.
 */
final class ServerSql {
  /** Logs as LocalPostgres, the one name all of the agent's PostgreSQL lines carry. */
  private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
  private static final int PROMOTE_WAIT_SECONDS = 60;
  /** A sanity bound: each reserved timeline is one file in pg_wal. */
  private static final long MAX_RESERVED_TIMELINES = 1000;
  private static final Duration SETTING_WAIT = Duration.ofSeconds(2);

  static final PostgresTools.Timeouts ACTION_TIMEOUTS = new PostgresTools.Timeouts(2, 30, 0);
  static final PostgresTools.Timeouts PROMOTE_TIMEOUTS =
      new PostgresTools.Timeouts(2, PROMOTE_WAIT_SECONDS + 15, 0);

  private final PostgresSettings settings;
  private final OsUser osUser;
  private final DataDirectoryFiles files;
  private final PostgresTools tools;
  private final ServerShutdown shutdown;

  ServerSql(PostgresSettings settings, OsUser osUser, DataDirectoryFiles files,
      PostgresTools tools, ServerShutdown shutdown) {
    this.settings = settings;
    this.osUser = osUser;
    this.files = files;
    this.tools = tools;
    this.shutdown = shutdown;
  }

  /** Returns whether the server is in recovery. */
  boolean awaitAcceptingConnections(Postmaster pm, Instant deadline, long logOffset,
      long fencesBefore) throws PostgresException {
    String last = "no answer yet";
    while (true) {
      if (!pm.alive()) {
        throw new PostgresException("PostgreSQL exited while starting" + pm.exitDescription()
            + "; the end of " + files.logFile() + ":\n" + files.logTail(logOffset));
      }
      if (shutdown.fences() != fencesBefore) {
        throw new PostgresException("PostgreSQL was fenced while starting");
      }
      try (Connection c =
              tools.connect(settings.host(), settings.port(), StatusQuery.OBSERVE_TIMEOUTS);
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
            + " running (" + last + "); the end of " + files.logFile() + ":\n"
            + files.logTail(logOffset));
      }
      OsProcesses.pause("waiting for PostgreSQL to accept connections");
    }
  }

  String currentSetting(String name) throws PostgresException {
    try (Connection c = tools.connect(settings.host(), settings.port(), ACTION_TIMEOUTS);
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

  static boolean inRecovery(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /** Promotes the standby to a timeline above {@code timelineAbove} and waits until it is one. */
  void promote(Connection c, long timelineAbove) throws SQLException, PostgresException {
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

  void reloadAndAwait(Connection c, String setting, String expected)
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
        OsProcesses.pause("waiting for " + setting + " to take effect");
      }
    }
    if (!expected.equals(actual)) {
      throw new PostgresException(setting + " did not take effect within "
          + SETTING_WAIT.toSeconds() + " s of the reload (does PostgreSQL run with config_file="
          + files.configFile() + "? see " + files.logFile() + ")");
    }
  }
}
