package io.baton.testkit.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.testkit.postgres.Credentials;
import io.baton.testkit.postgres.PostgresCluster;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.postgres.StopMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class WriteProbeIT {

  @Test
  void measuresTheOutageOfAHandOverAndFindsNoLostWrites() throws Exception {
    try (PostgresCluster cluster = PostgresCluster.builder().nodes(2).build()) {
      PostgresNode n1 = cluster.node("n1");
      PostgresNode n2 = cluster.node("n2");
      Credentials app = cluster.appCredentials();
      cluster.nodes().forEach(cluster::startManually);
      try (Connection c = cluster.connect(n1, "app", app)) {
        WriteProbe.createTable(c);
      }

      WriteProbe probe = WriteProbe.builder(
          () -> cluster.multiHostJdbcUrl("app"), app.user(), app.password()).start();
      await("20 acknowledged writes", () -> probe.acknowledged().size() >= 20);

      long handOverStart = System.nanoTime();
      // A fast shutdown sends all WAL to the standby before exiting: nothing acknowledged is lost.
      cluster.stopManually(n1, StopMode.FAST);
      try (Connection c = cluster.superuserConnection(n2); Statement s = c.createStatement()) {
        s.execute("SELECT pg_promote()");
      }
      await("the end of the outage", () -> !probe.outages().isEmpty());
      long acksBefore = probe.acknowledged().size();
      await("more writes", () -> probe.acknowledged().size() >= acksBefore + 5);
      probe.close();

      List<Outage> outages = probe.outages();
      assertEquals(1, outages.size(), outages.toString());
      Outage outage = outages.get(0);
      // An insert started a moment before the stop may be the first to fail.
      assertTrue(outage.startNanos() - handOverStart >= -Duration.ofMillis(50).toNanos(),
          "outage started before the hand-over");
      assertEquals(outage.endNanos(),
          probe.firstAcknowledgedAfter(outage.startNanos()).orElseThrow().endNanos());
      assertTrue(outage.duration().compareTo(Duration.ofSeconds(20)) < 0, outage.toString());
      assertTrue(outage.failedAttempts() >= 1);
      List<Long> acknowledged = probe.acknowledged();
      for (int i = 1; i < acknowledged.size(); i++) {
        assertTrue(acknowledged.get(i) > acknowledged.get(i - 1), "sequence numbers increase");
      }

      try (Connection c = cluster.connect(n2, "app", app)) {
        assertEquals(List.of(), probe.lostWrites(c));
        long victim = acknowledged.get(3);
        try (Statement s = c.createStatement()) {
          s.execute("DELETE FROM baton_probe WHERE seq = " + victim);
        }
        assertEquals(List.of(victim), probe.lostWrites(c));
      }
    }
  }

  /** Two writable nodes (a standby promoted beside its primary); the target moves to the second. */
  @Test
  void followsItsTargetWhenTheUrlChangesWithoutWaitingForAnError() throws Exception {
    try (PostgresCluster cluster = PostgresCluster.builder().nodes(2).build()) {
      PostgresNode n1 = cluster.node("n1");
      PostgresNode n2 = cluster.node("n2");
      Credentials app = cluster.appCredentials();
      cluster.nodes().forEach(cluster::startManually);
      try (Connection c = cluster.connect(n1, "app", app)) {
        WriteProbe.createTable(c);
      }
      promote(cluster, n2);
      AtomicReference<String> target = new AtomicReference<>(cluster.jdbcUrl(n1, "app"));
      WriteProbe probe = WriteProbe.builder(target::get, app.user(), app.password()).start();
      await("writes to n1", () -> probe.acknowledged().size() >= 10);
      target.set(cluster.jdbcUrl(n2, "app"));
      long movedAt = System.nanoTime();
      await("writes after the move",
          () -> probe.results().attempts().stream()
              .filter(a -> a.isAcknowledged() && a.startNanos() - movedAt > 0).count() >= 10);
      probe.close();

      List<Long> afterTheMove = probe.attempts().stream()
          .filter(a -> a.isAcknowledged() && a.startNanos() - movedAt > 0)
          .map(Attempt::seq).toList();
      try (Connection c = cluster.connect(n2, "app", app)) {
        assertTrue(probe.lostWrites(c).containsAll(
            probe.acknowledged().subList(0, 10)), "the first writes went to n1 only");
        List<Long> missingOnN2 = probe.lostWrites(c);
        assertTrue(afterTheMove.stream().noneMatch(missingOnN2::contains),
            "every write after the move is on n2; missing: " + missingOnN2);
      }
    }
  }

  @Test
  void keepsItsSessionOnAStandbyWhenToldAndWritesOnceItIsPromoted() throws Exception {
    try (PostgresCluster cluster = PostgresCluster.builder().nodes(2).build()) {
      PostgresNode n1 = cluster.node("n1");
      PostgresNode n2 = cluster.node("n2");
      Credentials app = cluster.appCredentials();
      cluster.nodes().forEach(cluster::startManually);
      try (Connection c = cluster.connect(n1, "app", app)) {
        WriteProbe.createTable(c);
      }
      String url = cluster.jdbcUrl(n2, "app");
      WriteProbe probe = WriteProbe.builder(() -> url, app.user(), app.password())
          .keepConnectionWhenReadOnly().start();
      await("refused writes", () -> probe.attempts().size() >= 5);
      long session = probeSession(cluster, n2);
      await("more refused writes", () -> probe.attempts().size() >= 25);
      assertEquals(session, probeSession(cluster, n2), "the same session all along");
      assertTrue(probe.attempts().stream().allMatch(
          a -> a.error().filter(e -> e.startsWith("insert: " + WriteProbe.READ_ONLY)).isPresent()),
          probe.attempts().toString());

      promote(cluster, n2);
      await("writes on the promoted node", () -> !probe.acknowledged().isEmpty());
      probe.close();
      assertTrue(probe.attempts().stream().noneMatch(
          a -> a.error().filter(e -> e.startsWith("connect:")).isPresent()),
          "never reconnected: " + probe.attempts());
    }
  }

  private static void promote(PostgresCluster cluster, PostgresNode node) throws Exception {
    try (Connection c = cluster.superuserConnection(node); Statement s = c.createStatement()) {
      s.execute("SELECT pg_promote()");
    }
  }

  private static long probeSession(PostgresCluster cluster, PostgresNode node) throws Exception {
    try (Connection c = cluster.superuserConnection(node); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'baton-probe'")) {
      assertTrue(rs.next(), "a probe session on " + node.name());
      long pid = rs.getLong(1);
      assertTrue(!rs.next(), "one probe session on " + node.name());
      return pid;
    }
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }
}
