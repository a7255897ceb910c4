package io.baton.testkit.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.testkit.postgres.Credentials;
import io.baton.testkit.postgres.PostgresCluster;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.process.ChildProcess;
import io.baton.testkit.process.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeWriterMainIT {

  @Test
  void aProbeInAChildProcessWritesALogWithStampsOnThisJvmsClock(@TempDir Path dir)
      throws Exception {
    try (PostgresCluster cluster = PostgresCluster.builder().nodes(1).build()) {
      PostgresNode n1 = cluster.primary();
      Credentials app = cluster.appCredentials();
      cluster.startManually(n1);
      Path out = dir.resolve("probe.log");

      long beforeLaunch = System.nanoTime();
      ChildProcess child = ProbeWriterMain.launcher(cluster.jdbcUrl(n1, "app"), app.user(),
              app.password(), "child-run", out)
          .args("--create-table")
          .start();
      assertFalse(String.join(" ", child.name(), child.logFile().toString())
          .contains(app.password()));
      WriteProbeIT.await("30 lines", () -> lineCount(out) > 30);
      child.signal(Signal.TERM);
      // 143 = 128 + SIGTERM: how a JVM exits on SIGTERM, after its shutdown hooks ran.
      assertEquals(143, child.waitFor(Duration.ofSeconds(20)).orElseThrow(),
          String.join("\n", child.lines()));
      long afterExit = System.nanoTime();

      ProbeResults results = ProbeLog.read(out);
      assertEquals("child-run", results.runId());
      assertTrue(results.acknowledged().size() >= 30, results.acknowledged().toString());
      long firstStart = results.attempts().get(0).startNanos();
      long lastEnd = results.attempts().get(results.attempts().size() - 1).endNanos();
      assertTrue(firstStart - beforeLaunch > 0 && afterExit - lastEnd > 0,
          "child stamps lie between the parent's stamps around it");
      try (Connection c = cluster.connect(n1, "app", app)) {
        assertEquals(List.of(), results.lostWrites(c));
      }
    }
  }

  private static long lineCount(Path file) {
    try (var lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      return 0;
    }
  }
}
