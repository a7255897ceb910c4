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
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The safety findings of issue 8 that live in the coordinator's decisions, each a story named
 * after the fault; every one of them failed against the decisions as they were before the fix.
 */
class SafetyFindingsTest {

  private static RequestedAction.Switchover to(String node) {
    return new RequestedAction.Switchover(Optional.empty(), Optional.of(node));
  }

  /** A cluster in the given mode whose primary n1 streams to n2 and n3. */
  private static Scenario streaming(ReplicationMode mode) {
    Scenario s = withReplicas();
    s.request(new RequestedAction.SetReplicationMode(mode));
    s.at(0.1).accepts(
        "n1",
        node("n1").primary("0/3000000").synchronousStandbyNames(mode.synchronous() ? "FIRST 1 (\"n2\")" : "")
            .replica("n2", mode.synchronous() ? "sync" : "async", "0/3000000")
            .replica("n3", "async", "0/3000000"));
    s.clearEffects();
    return s;
  }

  /**
   * Finding 3: a flapping synchronous standby. The coordinator moved the list n2 -> n3 -> n2; a
   * heartbeat the primary built before it accepted the last assignment still shows n2 in effect
   * and in sync, but commits may have waited for n3 meanwhile.
   */
  /** n1 primary streaming asynchronously to n2 and n3. */
  private static Scenario withReplicas() {
    Scenario s = Scenario.stableCluster();
    s.report(
        node("n1").primary("0/3000000").accepted(s.assignmentOf("n1"))
            .replica("n2", "async", "0/3000000").replica("n3", "async", "0/3000000"));
    return s;
  }

  @Test
  void aSynchronousStandbyIsNotConfirmedFromAHeartbeatTakenBeforeTheAssignmentThatSetIt() {
    Scenario s = withReplicas();
    var before = s.assignmentOf("n1");
    s.request(new RequestedAction.SetReplicationMode(ReplicationMode.SYNC));
    assertTrue(s.assignmentOf("n1").generation() > before.generation());
    s.at(0.1).report(
        node("n1").primary("0/3000000").accepted(before).synchronousStandbyNames("FIRST 1 (\"n2\")")
            .replica("n2", "sync", "0/3000000"));
    assertEquals(List.of(), s.state().sync().promotable(), "an older assignment's heartbeat");
    s.at(0.2).accepts(
        "n1",
        node("n1").primary("0/3000000").synchronousStandbyNames("FIRST 1 (\"n2\")")
            .replica("n2", "sync", "0/3000000"));
    assertEquals(List.of("n2"), s.state().sync().promotable());
  }

  /**
   * Finding 3: commits acknowledged before the list took effect did not wait for the new standby;
   * it is promotable only once it has flushed what the primary had written by then.
   */
  @Test
  void aSynchronousStandbyIsConfirmedOnlyOnceItHoldsTheWalWrittenBeforeTheListTookEffect() {
    Scenario s = withReplicas();
    s.request(new RequestedAction.SetReplicationMode(ReplicationMode.SYNC));
    s.at(0.1).accepts(
        "n1",
        node("n1").primary("0/3000000").synchronousStandbyNames("FIRST 1 (\"n2\")")
            .replica("n2", "sync", "0/2000000"));
    assertEquals(List.of(), s.state().sync().promotable(), "n2 lags what was acknowledged");
    s.at(0.2).accepts(
        "n1",
        node("n1").primary("0/3000800").synchronousStandbyNames("FIRST 1 (\"n2\")")
            .replica("n2", "sync", "0/3000000"));
    assertEquals(
        List.of("n2"), s.state().sync().promotable(),
        "it holds what was written when the list took effect; later commits waited for it");
  }

  /**
   * Finding 5: a candidate that keeps heartbeating but never becomes the primary would leave the
   * cluster without one for ever.
   */
  @Test
  void aPromotionThatNeverCompletesIsStoppedAfterPromotionTimeoutAndAnotherChosen() {
    Scenario s = Scenario.stableCluster();
    for (double t = 1; t <= 5; t += 1) {
      s.at(t).report(node("n2").standbyAt("0/3000100"));
      s.at(t).report(node("n3").standbyAt("0/3000000"));
    }
    s.ticksUntil(5.0);
    s.assertGoal("n2", Goal.Primary.class);
    var promotion = s.assignmentOf("n2");
    for (double t = 6; t <= 36; t += 1) {
      s.at(t).report(node("n2").standbyAt("0/3000100").accepted(promotion));
      s.at(t).report(node("n3").standbyAt("0/3000000"));
    }
    s.assertGoal("n2", Goal.Stopped.class);
    assertTrue(s.onlyEvent(EventType.PROMOTION_FAILED).message().contains("promotion-timeout"));
    assertEquals(PhaseKind.PROMOTING, s.phase(), "until n2 gives the role up");
    s.at(36.5).accepts(
        "n2", node("n2").down("shut down in recovery", "0/3000100", true)
            .relinquished(promotion.generation()));
    s.at(36.6).report(node("n3").standbyAt("0/3000100"));
    s.assertGoal("n3", Goal.Primary.class);
  }

  /**
   * Finding 8: after a failed promotion the next candidate is measured against the writes the
   * lost primary acknowledged, not against the failed candidate's own (lower) position.
   */
  @Test
  void afterAFailedPromotionTheNextCandidateIsMeasuredAgainstEveryAcknowledgedWrite() {
    Scenario s = Scenario.stableCluster();
    s.at(0.5).report(node("n1").primary("0/5000000").accepted(s.assignmentOf("n1")));
    for (double t = 1; t <= 5.5; t += 1) {
      s.at(t).report(node("n2").standbyAt("0/4FFFF00"));
      s.at(t).report(node("n3").standbyAt("0/2000000"));
    }
    s.ticksUntil(5.5);
    s.assertGoal("n2", Goal.Primary.class);
    var promotion = s.assignmentOf("n2");
    s.at(5.6).report(
        node("n2").standbyAt("0/4FFFF00").accepted(promotion).relinquished(promotion.generation()));
    s.at(5.7).report(node("n3").standbyAt("0/2000000"));
    assertEquals(PhaseKind.PRIMARY_LOST, s.phase());
    String why = s.events(EventType.FAILOVER_BLOCKED).get(0).message();
    assertTrue(why.contains("n3: lags 48.0 MiB behind the last acknowledged position 0/5000000"), why);
  }

  /**
   * Finding 8: a switchover target that gave up because it never received the drained WAL holds
   * less than what the old primary acknowledged: it is never made primary again on its own.
   */
  @Test
  void aSwitchoverTargetThatGaveUpWithoutTheDrainedWalIsNeverReinstated() {
    Scenario s = streaming(ReplicationMode.ASYNC);
    s.at(1).request(to("n2"));
    s.at(1.05).accepts(
        "n1",
        node("n1").primary("0/3000100").replica("n2", "sync", "0/3000100")
            .replica("n3", "async", "0/3000100").synchronousStandbyNames("FIRST 1 (\"n2\")"));
    s.at(1.2).accepts("n1", node("n1").down("shut down", "0/3000200", false).drainedAt("0/3000200"));
    var promotion = s.assignmentOf("n2");
    // n1 dies, and n2 never receives the drain position: it gives up. n3 may not be promoted.
    for (double t = 2; t <= 12; t += 1) {
      NodeReport n2 = node("n2").standbyAt("0/3000100").accepted(promotion);
      s.at(t).report(t >= 11 ? n2.relinquished(promotion.generation()) : n2);
      s.at(t).report(node("n3").standbyAt("0/3000100").noFailover());
    }
    s.ticksUntil(12.5);
    assertEquals(PhaseKind.PRIMARY_LOST, s.phase());
    s.assertNoEvent(EventType.PRIMARY_REINSTATED);
    assertEquals(promotion.generation(), s.state().node("n2").orElseThrow().lastPrimaryGeneration()
        .orElseThrow(), "n2 is never made primary again without n1's last writes");
  }

  /**
   * Finding 5: in synchronous mode a switchover target that dies after the drain must not leave
   * the cluster without a primary: the drained primary is its synchronous standby from its first
   * write, so it holds every write and takes the role back.
   */
  @Test
  void inSyncModeASwitchoverTargetLostAfterTheDrainHandsTheRoleToTheDrainedPrimary() {
    Scenario s = streaming(ReplicationMode.SYNC);
    s.at(0.2).accepts(
        "n1",
        node("n1").primary("0/3000000").synchronousStandbyNames("FIRST 1 (\"n2\")")
            .replica("n2", "sync", "0/3000000").replica("n3", "async", "0/3000000"));
    s.at(1).request(to("n2"));
    s.assertGoal("n1", Goal.Drained.class);
    s.at(1.2).accepts("n1", node("n1").down("shut down", "0/3000100", false).drainedAt("0/3000100"));
    s.assertGoal("n2", Goal.Primary.class);
    assertEquals(
        List.of("n1"), ((Goal.Primary) s.assignmentOf("n2").goal()).synchronousStandbys(),
        "the new primary's commits wait for the drained primary");
    assertEquals(List.of("n1"), s.state().sync().promotable());
    // n1 rejoins as n2's standby; n2 is never heard again.
    for (double t = 1.5; t <= 7; t += 0.5) {
      s.at(t).accepts("n1", node("n1").standbyAt("0/3000100"));
      s.at(t).report(node("n3").standbyAt("0/3000100"));
    }
    s.ticksUntil(7.5);
    assertTrue(s.events(EventType.PROMOTION_FAILED).size() == 1, s.describeEvents());
    s.assertGoal("n1", Goal.Primary.class);
  }

  /**
   * Findings 2, 6 and 10: a primary fenced by a Kafka blip is not brought back by its agent's own
   * reckoning; the coordinator, which has not declared it lost, renews its role.
   */
  @Test
  void aFencedPrimaryHeardAgainBeforeItWasLostIsRenewedNotFailedOver() {
    Scenario s = Scenario.stableCluster();
    var primary = s.assignmentOf("n1");
    s.at(4).report(node("n1").down("in production", "0/3000000", false).fenced().accepted(primary));
    assertEquals(PhaseKind.STABLE, s.phase());
    var renewed = s.assignmentOf("n1");
    assertTrue(renewed.generation() > primary.generation());
    assertTrue(renewed.goal() instanceof Goal.Primary);
    assertEquals(primary.epoch(), renewed.epoch(), "the same master, no new epoch");
    s.onlyEvent(EventType.PRIMARY_RENEWED);
    s.at(4.1).report(node("n1").down("in production", "0/3000000", false).fenced().accepted(primary));
    assertEquals(renewed.generation(), s.assignmentOf("n1").generation(), "one renewal in flight");
    s.assertNoMasterChange();
  }

  @Test
  void aFencedPrimaryHeardOnlyAfterItWasLostIsNotRenewed() {
    Scenario s = Scenario.stableCluster();
    var primary = s.assignmentOf("n1");
    for (double t = 1; t <= 5; t += 1) {
      s.at(t).report(node("n2").standbyAt("0/3000000"));
      s.at(t).report(node("n3").standbyAt("0/3000000"));
    }
    s.ticksUntil(5.0);
    s.at(5.1).report(node("n1").down("in production", "0/3000000", false).fenced().accepted(primary));
    s.assertNoEvent(EventType.PRIMARY_RENEWED);
    s.assertFollows("n1", "n2");
  }
}
