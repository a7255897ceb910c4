package io.baton.agent.postgres;

import io.baton.events.DataDirectoryStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory's control file as pg_controldata reads it, cached until
 * {@code global/pg_control} changes, and why it could not be read. May be used from any thread.
 */
final class ControlDataReader {
  /** Logs as LocalPostgres, the one name all of the agent's PostgreSQL lines carry. */
  private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
  private static final Duration CONTROL_DATA_RETRY = Duration.ofSeconds(5);
  private static final Duration CONTROL_DATA_TIMEOUT = Duration.ofSeconds(20);

  private final PostgresSettings settings;
  private final PostgresTools tools;
  private final DataDirectoryFiles files;
  private volatile ControlDataCache controlDataCache;
  private volatile String controlDataProblem = "";

  ControlDataReader(PostgresSettings settings, PostgresTools tools, DataDirectoryFiles files) {
    this.settings = settings;
    this.tools = tools;
    this.files = files;
  }

  private record FileStamp(FileTime modified, long size, String fileKey) {}

  private record ControlDataCache(FileStamp stamp, Optional<ControlData> data, Instant retryAt) {}

  /** See {@link LocalPostgres#controlData()}. */
  Optional<DataDirectoryStatus> status() {
    try {
      boolean signal = files.standbySignalExists();
      return readControlData().map(data -> data.status(signal));
    } catch (RuntimeException e) {
      noteControlDataProblem("pg_controldata: " + e);
      return Optional.empty();
    }
  }

  /** Why the last read found no control data. */
  String problem() {
    return controlDataProblem;
  }

  /** Makes the next read run pg_controldata again: an action may have changed the directory. */
  void forget() {
    controlDataCache = null;
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
      PostgresTools.ToolResult result = tools.runTool("pg_controldata",
          List.of(tools.tool("pg_controldata"), "-D", settings.dataDir().toString()), Map.of(),
          CONTROL_DATA_TIMEOUT);
      if (result.exitCode() != 0) {
        noteControlDataProblem("pg_controldata failed (exit " + result.exitCode() + "): "
            + DataDirectoryFiles.lastLines(result.output(), 3));
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
}
