package io.baton.agent.postgres;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files the agent writes and reads around its server: the agent's configuration file and
 * pgpass file, {@code standby.signal} and {@code postgresql.auto.conf} in the data directory, and
 * the server's log file.
 */
final class DataDirectoryFiles {
  /** Logs as LocalPostgres, the one name all of the agent's PostgreSQL lines carry. */
  private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
  private static final String STANDBY_SIGNAL = "standby.signal";
  private static final int LOG_TAIL_LINES = 25;

  private final PostgresSettings settings;
  private final OsUser osUser;
  private final Path configFile;
  private final Path pgpassFile;
  private final Path logFile;
  private final Path standbySignal;

  DataDirectoryFiles(PostgresSettings settings, OsUser osUser) {
    this.settings = settings;
    this.osUser = osUser;
    this.configFile = settings.stateDir().resolve(LocalPostgres.CONFIG_FILE_NAME);
    this.pgpassFile = settings.stateDir().resolve(LocalPostgres.PGPASS_FILE_NAME);
    this.logFile = settings.stateDir().resolve(LocalPostgres.LOG_FILE_NAME);
    this.standbySignal = settings.dataDir().resolve(STANDBY_SIGNAL);
  }

  Path configFile() {
    return configFile;
  }

  Path pgpassFile() {
    return pgpassFile;
  }

  Path logFile() {
    return logFile;
  }

  boolean standbySignalExists() {
    return Files.exists(standbySignal);
  }

  void requireDataDirectory() throws PostgresException {
    if (!Files.isRegularFile(settings.dataDir().resolve("PG_VERSION"))) {
      throw new PostgresException("no PostgreSQL data directory at " + settings.dataDir());
    }
  }

  /** The pgpass file and the agent's configuration file, for {@code roles}. */
  void writeAgentFiles(ConfigFiles.Roles forRoles) throws PostgresException {
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
  void sanitizeAutoConf() throws PostgresException {
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

  void setStandbySignal(boolean present) throws PostgresException {
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
  long prepareLogFile() throws PostgresException {
    try {
      osUser.touch(logFile);
      return Files.size(logFile);
    } catch (IOException e) {
      throw new PostgresException("could not create " + logFile + ": " + e, e);
    }
  }

  long logSize() {
    try {
      return Files.size(logFile);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The last lines the server wrote since {@code fromOffset}. */
  String logTail(long fromOffset) {
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
      return lastLines(withoutRefusedLogins(
          new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8)),
          LOG_TAIL_LINES);
    } catch (IOException e) {
      return "(could not read " + logFile + ": " + e + ")";
    }
  }

  /**
   * The log without the lines of clients turned away while the server starts: dozens a second,
   * they would push out of the tail the line that says why it did not start.
   */
  static String withoutRefusedLogins(String log) {
    return Arrays.stream(log.split("\n"))
        .filter(line -> !line.contains("FATAL:  the database system is starting up")
            && !line.contains("FATAL:  the database system is not yet accepting connections")
            && !line.contains("DETAIL:  Consistent recovery state has not been yet reached."))
        .collect(Collectors.joining("\n"));
  }

  static String lastLines(String text, int count) {
    List<String> lines = Arrays.asList(text.strip().split("\n"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }
}
