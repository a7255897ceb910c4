package io.baton.coordinator.decision;

import static io.baton.coordinator.decision.NodeReport.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.coordinator.cluster.PhaseKind;
import io.baton.coordinator.policy.Policy;
import io.baton.events.EventType;
import io.baton.events.ReplicationMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureDetectionTest {

  @Test
  void declaresThePrimaryLostOnlyOnceFailoverAfterOfBrokerTimeHasPassed() {
    Scenario s = Scenario.stableCluster();
    for (double t = 1; t <= 4; t += 1) {
      s.at(t).report(node("n2").standbyOf("n1", "0/3000000"));
      s.at(t).report(node("n3").standbyOf("n1", "0/3000000"));
    }
    s.ticksUntil(4.9);
    assertEquals(PhaseKind.STABLE, s.phase());
    s.ticksUntil(5.0);
    assertTrue(
        s.onlyEvent(EventType.PRIMARY_LOST).message().contains("no heartbeat for 5.0 s of broker time"),
        s.describeEvents());
  }

  @Test
  void aPrimaryThatKeepsHeartbeatingIsNeverLostHoweverLateTheInputIsProcessed() {
    // The decider only ever sees broker time: a coordinator that lags, restarts or replays gets
    // the same inputs with the same timestamps, so it sees the same gaps and no others.
    Scenario s = Scenario.stableCluster();
    for (double t = 0.9; t < 60; t += 0.9) {
      s.at(t).report(node("n1").primary("0/3000000").accepted(s.assignmentOf("n1")));
      s.at(t).report(node("n2").standbyOf("n1", "0/3000000"));
      s.at(t).report(node("n3").standbyOf("n1", "0/3000000"));
      s.tick();
    }
    assertEquals(PhaseKind.STABLE, s.phase());
    s.assertNoEvent(EventType.PRIMARY_LOST);
    s.assertNoEvent(EventType.NODE_LOST);
  }

  @Test
  void aStandbyLossAndReturnChangeNothingForClients() {
    Scenario s = Scenario.stableCluster();
    for (double t = 1; t <= 8; t += 1) {
      s.at(t).report(node("n1").primary("0/3000000").accepted(s.assignmentOf("n1")));
      s.at(t).report(node("n2").standbyOf("n1", "0/3000000"));
    }
    s.ticksUntil(8);
    assertTrue(s.onlyEvent(EventType.NODE_LOST).message().startsWith("n3 lost"));
    s.at(8.5).report(node("n3").standbyOf("n1", "0/3000000"));
    assertTrue(s.onlyEvent(EventType.NODE_RETURNED).message().startsWith("n3 is back after 8.5 s"));
    s.assertNoMasterChange();
    assertEquals(PhaseKind.STABLE, s.phase());
  }

  @Test
  void aFencingDeadlineTooCloseToFailoverAfterDelaysThatNodesFailoverAndSaysSo() {
    Scenario s = new Scenario(new Policy(Duration.ofSeconds(5), Duration.ofSeconds(1), 1 << 20,
        Duration.ofSeconds(15), Duration.ofSeconds(30), ReplicationMode.ASYNC,
        Duration.ofSeconds(60)));
    s.report(node("n1").primary("0/3000000").fenceAfter(Duration.ofMillis(4500)));
    assertTrue(
        s.onlyEvent(EventType.FENCING_MARGIN_TOO_SMALL).message().contains("its failover waits 5.5 s"),
        s.describeEvents());
    s.at(0.1).accepts("n1", node("n1").primary("0/3000000").fenceAfter(Duration.ofMillis(4500)));
    s.at(4).report(node("n2").standbyOf("n1", "0/3000000"));
    s.ticksUntil(5.4);
    assertEquals(PhaseKind.STABLE, s.phase());
    s.ticksUntil(5.6);
    assertEquals(PhaseKind.PROMOTING, s.phase());
  }
}
