package io.baton.system;

import static io.baton.system.ClusterAssertions.assertOnePrimaryAllStreaming;
import static io.baton.system.ClusterAssertions.assertStory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.events.EventType;
import io.baton.events.MasterRecord;
import io.baton.lab.ClusterChecks;
import io.baton.lab.Lab;
import io.baton.testkit.kafka.TestKafka;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.probe.Outage;
import io.baton.testkit.probe.WriteProbe;
import io.baton.testkit.process.Signal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Unplanned failover with real faults, at default timings, on one 3-node cluster: each scenario
 * starts from a healthy cluster, a client writes continuously, the fault is injected, and the
 * scenario ends with exactly one primary and every other node streaming from it again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {
  private static final Duration SETTLE = Duration.ofSeconds(120);
  private static Lab lab;
  private MasterRecord before;
  private int eventsBefore;

  @BeforeAll
  static void start() {
    lab = Lab.builder().cluster("failover").bootstrapServers(TestKafka.bootstrapServers()).start();
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @BeforeEach
  void healthy() throws Exception {
    before = assertOnePrimaryAllStreaming(lab, SETTLE);
    eventsBefore = lab.events().size();
  }

  private MasterRecord awaitNewMaster() {
    return lab.awaitMaster(m -> m.epoch() > before.epoch(), Duration.ofSeconds(60));
  }

  @Test
  @Order(1)
  void thePrimaryPostmasterKilledWhileItsAgentLivesFailsOverWithoutWaitingForTheTimeout() throws Exception {
    try (WriteProbe probe = ClusterChecks.startProbe(lab)) {
      ClusterChecks.sleep(Duration.ofSeconds(1));
      long killedAt = System.nanoTime();
      lab.postgres().killPostmaster(lab.postgres().node(before.node()));
      MasterRecord after = awaitNewMaster();
      assertNotEquals(before.node(), after.node());
      ClusterChecks.awaitWritesAfter(probe, killedAt, Duration.ofSeconds(30));
      Outage outage = probe.outages().get(probe.outages().size() - 1);
      assertTrue(
          outage.duration().compareTo(Duration.ofSeconds(5)) < 0,
          "the agent reports PostgreSQL down at once: no waiting for failover-after; outage " + outage.duration());
      assertOnePrimaryAllStreaming(lab, SETTLE);
      assertStory(lab, eventsBefore, EventType.PRIMARY_LOST, EventType.CANDIDATE_CHOSEN, EventType.PROMOTED,
          EventType.STANDBY_FOLLOWING, EventType.NODE_REJOINED);
    }
  }

  @Test
  @Order(2)
  void aStandbyLostAndBackChangesNothingForClients() throws Exception {
    String standby =
        lab.postgres().nodes().stream().map(PostgresNode::name).filter(n -> !n.equals(before.node())).findFirst().orElseThrow();
    try (WriteProbe probe = ClusterChecks.startProbe(lab)) {
      lab.agent(standby).signal(Signal.KILL);
      lab.postgres().killPostmaster(lab.postgres().node(standby));
      lab.awaitEvent(eventsBefore, EventType.NODE_LOST, e -> e.node().orElse("").equals(standby), Duration.ofSeconds(30));
      lab.startAgent(standby);
      lab.awaitEvent(eventsBefore, EventType.NODE_RETURNED, e -> e.node().orElse("").equals(standby), Duration.ofSeconds(60));
      assertOnePrimaryAllStreaming(lab, SETTLE);
      assertEquals(before.epoch(), lab.master().orElseThrow().epoch(), "no master record written");
      assertTrue(probe.outages().isEmpty(), "writes never failed: " + probe.outages());
    }
  }

  @Test
  @Order(3)
  void thePrimaryNodeLostFailsOverAfterTheLeaseAndRejoinsWhenItReturns() throws Exception {
    try (WriteProbe probe = ClusterChecks.startProbe(lab)) {
      ClusterChecks.sleep(Duration.ofMillis(1000 + (long) (Math.random() * 1000)));
      long lostAt = System.nanoTime();
      lab.agent(before.node()).signal(Signal.KILL);
      lab.postgres().killPostmaster(lab.postgres().node(before.node()));
      MasterRecord after = awaitNewMaster();
      assertNotEquals(before.node(), after.node());
      ClusterChecks.awaitWritesAfter(probe, lostAt, Duration.ofSeconds(30));
      lab.startAgent(before.node());
      assertOnePrimaryAllStreaming(lab, SETTLE);
      assertStory(lab, eventsBefore, EventType.PRIMARY_LOST, EventType.CANDIDATE_CHOSEN, EventType.PROMOTED,
          EventType.NODE_REJOINED);
    }
  }

  @Test
  @Order(4)
  void aFrozenPrimaryAgentIsFencedByItsWatchdogAndRejoinsWhenResumed() throws Exception {
    try (WriteProbe probe = ClusterChecks.startProbe(lab)) {
      ClusterChecks.sleep(Duration.ofSeconds(1));
      long frozenAt = System.nanoTime();
      lab.agent(before.node()).signal(Signal.STOP);
      try {
        MasterRecord after = awaitNewMaster();
        assertNotEquals(before.node(), after.node());
        ClusterChecks.awaitWritesAfter(probe, frozenAt, Duration.ofSeconds(30));
      } finally {
        lab.agent(before.node()).signal(Signal.CONT);
      }
      assertOnePrimaryAllStreaming(lab, SETTLE);
      assertStory(lab, eventsBefore, EventType.PRIMARY_LOST, EventType.CANDIDATE_CHOSEN, EventType.PROMOTED,
          EventType.NODE_REJOINED);
    }
  }

  @Test
  @Order(5)
  void aCoordinatorRestartedInTheMiddleOfAFailoverPromotesExactlyOnce() throws Exception {
    lab.agent(before.node()).signal(Signal.KILL);
    lab.postgres().killPostmaster(lab.postgres().node(before.node()));
    lab.awaitEvent(eventsBefore, EventType.PRIMARY_LOST, e -> true, Duration.ofSeconds(30));
    lab.coordinator().signal(Signal.KILL);
    lab.startCoordinator();
    MasterRecord after = awaitNewMaster();
    lab.startAgent(before.node());
    assertOnePrimaryAllStreaming(lab, SETTLE);
    List<MasterRecord> newer =
        lab.masters().values().stream().filter(m -> m.cluster().equals(lab.cluster()) && m.epoch() > before.epoch()).toList();
    assertEquals(1, newer.size(), "exactly one promotion: " + newer);
    assertEquals(after, newer.get(0));
  }
}
