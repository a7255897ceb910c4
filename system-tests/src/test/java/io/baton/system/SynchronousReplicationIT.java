package io.baton.system;

import static io.baton.system.ClusterAssertions.assertOnePrimaryAllStreaming;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.client.operator.RequestClient;
import io.baton.events.EventType;
import io.baton.events.MasterRecord;
import io.baton.events.ReplicationMode;
import io.baton.events.RequestedAction;
import io.baton.lab.ClusterChecks;
import io.baton.lab.Lab;
import io.baton.testkit.kafka.TestKafka;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.probe.Outage;
import io.baton.testkit.probe.WriteProbe;
import io.baton.testkit.process.Signal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Synchronous mode: only the synchronous standby may be promoted, so a failover loses no
 * acknowledged write; a dead synchronous standby is replaced at once so writes do not hang (seed
 * 000's first edge case); strict-sync blocks writes rather than run without one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SynchronousReplicationIT {
  private static final Duration SETTLE = Duration.ofSeconds(120);
  private static Lab lab;

  @BeforeAll
  static void start() {
    lab =
        Lab.builder().cluster("sync").bootstrapServers(TestKafka.bootstrapServers())
            .coordinatorSetting("baton.coordinator.replication-mode", "sync")
            .start();
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  private static void loseNode(String node) {
    lab.agent(node).signal(Signal.KILL);
    lab.postgres().killPostmaster(lab.postgres().node(node));
  }

  private static List<String> standbysOf(MasterRecord master) {
    return lab.postgres().nodes().stream().map(PostgresNode::name).filter(n -> !n.equals(master.node())).toList();
  }

  private static void setMode(ReplicationMode mode) {
    try (RequestClient requests =
        lab.requests()) {
      RequestClient.Answer answer =
          requests.submit(lab.cluster(), new RequestedAction.SetReplicationMode(mode), Duration.ofSeconds(30), e -> {});
      assertTrue(answer.finished(), "the coordinator answered the mode change");
    }
  }

  @Test
  @Order(1)
  void aDeadSynchronousStandbyIsReplacedAtOnceSoWritesDoNotHang() throws Exception {
    MasterRecord master = assertOnePrimaryAllStreaming(lab, SETTLE);
    String synchronous = ClusterChecks.awaitSynchronousStandby(lab, master);
    int eventsBefore = lab.events().size();
    try (WriteProbe probe = ClusterChecks.startProbe(lab)) {
      ClusterChecks.sleep(Duration.ofSeconds(1));
      long killedAt = System.nanoTime();
      loseNode(synchronous);
      lab.awaitEvent(eventsBefore, EventType.SYNC_STANDBYS_CHANGED, e -> true, Duration.ofSeconds(30));
      ClusterChecks.awaitWritesAfter(probe, killedAt, Duration.ofSeconds(10));
      ClusterChecks.sleep(Duration.ofSeconds(2));
      // A commit waiting for a dead synchronous standby hangs rather than fails: count both.
      Duration longestOutage =
          probe.outages().stream().map(Outage::duration).max(Duration::compareTo).orElse(Duration.ZERO);
      Duration longestWrite =
          probe.attempts().stream().filter(a -> a.startNanos() >= killedAt - Duration.ofSeconds(1).toNanos())
              .map(a -> a.duration()).max(Duration::compareTo).orElse(Duration.ZERO);
      Duration longest = longestOutage.compareTo(longestWrite) > 0 ? longestOutage : longestWrite;
      assertTrue(longest.compareTo(Duration.ofSeconds(3)) < 0, "writes hung for " + longest);
      assertEquals(List.of(), ClusterChecks.lostWrites(lab, probe.results()));
      System.out.printf(
          "sync standby %s killed: longest write %d ms, longest outage %d ms%n",
          synchronous, longestWrite.toMillis(), longestOutage.toMillis());
    }
    lab.startAgent(synchronous);
    assertOnePrimaryAllStreaming(lab, SETTLE);
  }

  @Test
  @Order(2)
  void aFailoverInSynchronousModeLosesNoAcknowledgedWrite() throws Exception {
    MasterRecord before = assertOnePrimaryAllStreaming(lab, SETTLE);
    String synchronous = ClusterChecks.awaitSynchronousStandby(lab, before);
    try (WriteProbe probe = ClusterChecks.startProbe(lab)) {
      ClusterChecks.sleep(Duration.ofSeconds(2));
      long lostAt = System.nanoTime();
      loseNode(before.node());
      MasterRecord after = lab.awaitMaster(m -> m.epoch() > before.epoch(), Duration.ofSeconds(60));
      assertEquals(synchronous, after.node(), "only the synchronous standby may be promoted");
      ClusterChecks.awaitWritesAfter(probe, lostAt, Duration.ofSeconds(30));
      ClusterChecks.sleep(Duration.ofSeconds(1));
      probe.close();
      assertEquals(List.of(), ClusterChecks.lostWrites(lab, probe.results()), "acknowledged writes missing on " + after.node());
      assertTrue(probe.acknowledged().size() > 100, "the client wrote: " + probe.acknowledged().size());
    }
    lab.startAgent(before.node());
    assertOnePrimaryAllStreaming(lab, SETTLE);
  }

  @Test
  @Order(3)
  void synchronousModeKeepsWritingWhenNoStandbyIsLeftAndSaysSo() throws Exception {
    MasterRecord master = assertOnePrimaryAllStreaming(lab, SETTLE);
    ClusterChecks.awaitSynchronousStandby(lab, master);
    int eventsBefore = lab.events().size();
    try (WriteProbe probe = ClusterChecks.startProbe(lab)) {
      ClusterChecks.sleep(Duration.ofSeconds(1));
      long killedAt = System.nanoTime();
      standbysOf(master).forEach(SynchronousReplicationIT::loseNode);
      lab.awaitEvent(eventsBefore, EventType.REPLICATION_DEGRADED, e -> true, Duration.ofSeconds(30));
      ClusterChecks.awaitWritesAfter(probe, killedAt, Duration.ofSeconds(10));
    }
    standbysOf(master).forEach(lab::startAgent);
    ClusterChecks.awaitSynchronousStandby(lab, assertOnePrimaryAllStreaming(lab, SETTLE));
  }

  @Test
  @Order(4)
  void strictSyncBlocksWritesRatherThanRunWithoutAStandby() throws Exception {
    setMode(ReplicationMode.STRICT_SYNC);
    MasterRecord master = assertOnePrimaryAllStreaming(lab, SETTLE);
    ClusterChecks.awaitSynchronousStandby(lab, master);
    List<String> standbys = standbysOf(master);
    try (WriteProbe probe = ClusterChecks.startProbe(lab)) {
      ClusterChecks.sleep(Duration.ofSeconds(1));
      standbys.forEach(SynchronousReplicationIT::loseNode);
      ClusterChecks.sleep(Duration.ofSeconds(1));
      long blockedFrom = System.nanoTime();
      ClusterChecks.sleep(Duration.ofSeconds(6));
      assertTrue(
          probe.firstAcknowledgedAfter(blockedFrom).isEmpty(),
          "strict-sync acknowledged a write with no standby");
      long resumedFrom = System.nanoTime();
      lab.startAgent(standbys.get(0));
      ClusterChecks.awaitWritesAfter(probe, resumedFrom, Duration.ofSeconds(60));
      assertEquals(List.of(), ClusterChecks.lostWrites(lab, probe.results()));
    } finally {
      setMode(ReplicationMode.SYNC);
    }
    lab.startAgent(standbys.get(1));
    assertOnePrimaryAllStreaming(lab, SETTLE);
  }
}
