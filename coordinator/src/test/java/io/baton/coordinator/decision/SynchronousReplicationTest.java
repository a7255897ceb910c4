package io.baton.coordinator.decision;

import static io.baton.coordinator.decision.NodeReport.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.coordinator.cluster.PhaseKind;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.ReplicationMode;
import io.baton.events.RequestedAction;
import java.util.List;
import org.junit.jupiter.api.Test;

class SynchronousReplicationTest {

  /** n1 primary in the given mode with n2 its confirmed synchronous standby, n3 asynchronous. */
  private static Scenario synchronousCluster(ReplicationMode mode) {
    Scenario s = Scenario.stableCluster();
    s.report(
        node("n1").primary("0/3000000").accepted(s.assignmentOf("n1"))
            .replica("n2", "async", "0/3000000").replica("n3", "async", "0/3000000"));
    s.request(new RequestedAction.SetReplicationMode(mode));
    assertEquals(List.of("n2"), synchronousStandbys(s));
    s.at(0.1).accepts(
        "n1",
        node("n1").primary("0/3000000").synchronousStandbyNames("FIRST 1 (\"n2\")")
            .replica("n2", "sync", "0/3000000").replica("n3", "async", "0/3000000"));
    assertEquals(List.of("n2"), s.state().sync().promotable());
    s.clearEffects();
    return s;
  }

  private static List<String> synchronousStandbys(Scenario s) {
    return ((Goal.Primary) s.assignmentOf("n1").goal()).synchronousStandbys();
  }

  @Test
  void replacesADeadSynchronousStandbyAtOnceSoWritesDoNotHang() {
    Scenario s = synchronousCluster(ReplicationMode.SYNC);
    // n2's walsender is gone from the primary's view: its process died.
    s.at(1).accepts(
        "n1",
        node("n1").primary("0/3000100").synchronousStandbyNames("FIRST 1 (\"n2\")")
            .replica("n3", "async", "0/3000100"));
    assertEquals(List.of("n3"), synchronousStandbys(s));
    assertTrue(s.onlyEvent(EventType.SYNC_STANDBYS_CHANGED).message().contains("n3 (was n2"));
    // Until the primary confirms n3, nobody is known to hold every acknowledged write.
    assertEquals(List.of(), s.state().sync().promotable());
    s.at(1.05).accepts(
        "n1",
        node("n1").primary("0/3000200").synchronousStandbyNames("FIRST 1 (\"n3\")")
            .replica("n3", "sync", "0/3000200"));
    assertEquals(List.of("n3"), s.state().sync().promotable());
  }

  @Test
  void promotesOnlyTheSynchronousStandbyEvenIfAnotherHasMoreWal() {
    Scenario s = synchronousCluster(ReplicationMode.SYNC);
    for (double t = 1; t <= 5; t += 1) {
      s.at(t).report(node("n2").standbyAt("0/3000000"));
      s.at(t).report(node("n3").standbyAt("0/3000900"));
    }
    s.ticksUntil(5.1);
    s.assertGoal("n2", Goal.Primary.class);
  }

  @Test
  void doesNotFailOverWhenNoStandbyIsKnownToHoldEveryAcknowledgedWrite() {
    Scenario s = synchronousCluster(ReplicationMode.SYNC);
    s.at(0.5).accepts(
        "n1",
        node("n1").primary("0/3000100").synchronousStandbyNames("FIRST 1 (\"n2\")")
            .replica("n3", "async", "0/3000100"));
    assertEquals(List.of(), s.state().sync().promotable());
    for (double t = 1; t <= 6; t += 1) {
      s.at(t).report(node("n3").standbyAt("0/3000100"));
    }
    s.ticksUntil(6);
    assertEquals(PhaseKind.PRIMARY_LOST, s.phase());
    assertTrue(
        s.onlyEvent(EventType.FAILOVER_BLOCKED).message()
            .contains("n3: not known to hold every acknowledged write"),
        s.describeEvents());
  }

  @Test
  void syncModeRunsWithoutASynchronousStandbyWhenNoneIsLeftAndSaysSo() {
    Scenario s = synchronousCluster(ReplicationMode.SYNC);
    s.at(1).accepts(
        "n1", node("n1").primary("0/3000100").synchronousStandbyNames("FIRST 1 (\"n2\")"));
    assertEquals(List.of(), synchronousStandbys(s));
    assertTrue(
        s.onlyEvent(EventType.REPLICATION_DEGRADED).message()
            .contains("running without a synchronous standby"));
  }

  @Test
  void strictSyncKeepsWritesWaitingRatherThanRunWithoutOne() {
    Scenario s = synchronousCluster(ReplicationMode.STRICT_SYNC);
    s.at(1).accepts(
        "n1", node("n1").primary("0/3000100").synchronousStandbyNames("FIRST 1 (\"n2\")"));
    s.at(1.5).accepts(
        "n1", node("n1").primary("0/3000100").synchronousStandbyNames("FIRST 1 (\"n2\")"));
    assertEquals(List.of("n2"), synchronousStandbys(s));
    assertTrue(
        s.onlyEvent(EventType.REPLICATION_DEGRADED).message()
            .contains("strict-sync keeps writes waiting for n2"));
    s.assertNoEvent(EventType.SYNC_STANDBYS_CHANGED);
  }

  @Test
  void aLeavingSynchronousStandbyIsReplaced() {
    Scenario s = synchronousCluster(ReplicationMode.SYNC);
    s.at(1).report(node("n2").standbyOf("n1", "0/3000000").leaving());
    assertEquals(List.of("n3"), synchronousStandbys(s));
  }

  @Test
  void aNewPrimaryInStrictModeWaitsForAStandbyFromItsFirstWrite() {
    Scenario s = synchronousCluster(ReplicationMode.STRICT_SYNC);
    for (double t = 1; t <= 5; t += 1) {
      s.at(t).report(node("n2").standbyAt("0/3000000"));
      s.at(t).report(node("n3").standbyAt("0/3000000"));
    }
    s.ticksUntil(5.1);
    Goal.Primary promotion = (Goal.Primary) s.assignmentOf("n2").goal();
    assertEquals(List.of("n3"), promotion.synchronousStandbys());
  }
}
