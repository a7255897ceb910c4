package io.baton.benchmark.scenarios;

import io.baton.lab.ClusterChecks;
import io.baton.lab.Lab;
import io.baton.testkit.netns.Namespace;
import io.baton.testkit.postgres.Credentials;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.probe.ProbeLog;
import io.baton.testkit.probe.ProbeResults;
import io.baton.testkit.probe.ProbeWriterMain;
import io.baton.testkit.probe.WriteProbe;
import io.baton.testkit.process.ChildProcess;
import io.baton.testkit.process.Signal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A second writer that writes straight to the old primary (one host, no failover), so the end of
 * the old primary's writable window is measured rather than assumed: its last acknowledged commit
 * is compared with the new primary's first.
 */
interface OldPrimaryWriter extends AutoCloseable {

  /** Stops writing and returns what it recorded; empty for {@link #none()}. */
  Optional<ProbeResults> stop();

  /** Stops writing if {@link #stop()} was not called. */
  @Override
  void close();

  /** For faults that hit a standby: there is no old primary to watch. */
  static OldPrimaryWriter none() {
    return new OldPrimaryWriter() {
      @Override
      public Optional<ProbeResults> stop() {
        return Optional.empty();
      }

      @Override
      public void close() {}
    };
  }

  /** A probe in this JVM: the old primary is reachable from here until it dies. */
  static OldPrimaryWriter inProcess(Lab lab, PostgresNode primary) {
    Credentials app = lab.postgres().appCredentials();
    String url = directUrl(primary);
    WriteProbe probe = WriteProbe.builder(() -> url, app.user(), app.password()).start();
    ClusterChecks.awaitFirstWrite(probe, "the writer beside the old primary");
    return new OldPrimaryWriter() {
      @Override
      public Optional<ProbeResults> stop() {
        probe.close();
        return Optional.of(probe.results());
      }

      @Override
      public void close() {
        probe.close();
      }
    };
  }

  /**
   * {@link ProbeWriterMain} inside the primary's network namespace, as PartitionIT runs it: cut
   * off together with the primary, it keeps reaching it, as a client next to it would.
   */
  static OldPrimaryWriter inNamespace(Lab lab, PostgresNode primary, Namespace namespace) {
    Credentials app = lab.postgres().appCredentials();
    Path log;
    try {
      log = Files.createTempFile("baton-bench-old-primary-writer", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChildProcess writer =
        ProbeWriterMain.launcher(directUrl(primary), app.user(), app.password(),
                "beside-old-primary-" + System.nanoTime(), log)
            .inNamespace(namespace.name())
            .start();
    ClusterChecks.await(() -> hasWritten(log), Duration.ofSeconds(30), () -> "the writer in " + namespace.name() + " wrote nothing within"
            + " 30 s; its output:\n" + String.join("\n", writer.lines()));
    return new OldPrimaryWriter() {
      @Override
      public Optional<ProbeResults> stop() {
        writer.signal(Signal.TERM);
        writer.waitFor(Duration.ofSeconds(10));
        ProbeResults results = ProbeLog.read(log);
        close();
        return Optional.of(results);
      }

      @Override
      public void close() {
        writer.close();
        try {
          Files.deleteIfExists(log);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  /** Whether the log shows an acknowledged write; false while the child has not written its header. */
  private static boolean hasWritten(Path log) {
    try {
      return !ProbeLog.read(log).acknowledged().isEmpty();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String directUrl(PostgresNode primary) {
    return "jdbc:postgresql://" + primary.hostPort() + "/app?connectTimeout=1&socketTimeout=2";
  }
}
