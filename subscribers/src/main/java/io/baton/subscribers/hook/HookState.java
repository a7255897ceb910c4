package io.baton.subscribers.hook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.events.EventCodec;
import io.baton.events.Names;
import io.baton.events.Printable;
import io.baton.subscribers.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The last hook run of each cluster, one small JSON file per cluster in the state directory,
 * replaced atomically, so a restarted subscriber knows which epochs it already handled.
 */
final class HookState {
  /** Where the run of an epoch stands. */
  enum Status {
    /** Written before the command starts: after a crash, the run may or may not have happened. */
    STARTED,
    SUCCEEDED,
    FAILED
  }

  /** One cluster's last run. */
  record Run(String cluster, long epoch, String node, Status status, int attempts,
      Instant updatedAt) {}

  private static final ObjectMapper JSON = EventCodec.mapper();

  private final Path directory;

  HookState(Path directory) {
    this.directory = directory;
  }

  Optional<Run> last(String cluster) throws IOException {
    Path file = file(cluster);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      Run run = JSON.readValue(file.toFile(), Run.class);
      // Its node goes into the next run's environment as the previous node.
      Names.require("cluster", run.cluster());
      Names.require("node", run.node());
      return Optional.of(run);
    } catch (IOException | IllegalArgumentException e) {
      // Refusing to guess: running the hook again for an epoch it may have handled is the one
      // thing this file exists to prevent.
      throw new IOException("hook state " + file + " is unreadable ("
          + Printable.escape(e.getMessage()) + "); fix or remove it", e);
    }
  }

  void save(Run run) throws IOException {
    AtomicFiles.replace(file(run.cluster()), JSON.writeValueAsString(run) + "\n");
  }

  private Path file(String cluster) {
    return directory.resolve(cluster + ".json");
  }
}
