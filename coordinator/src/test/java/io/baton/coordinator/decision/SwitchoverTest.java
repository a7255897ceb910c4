package io.baton.coordinator.decision;

import static io.baton.coordinator.decision.NodeReport.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.coordinator.cluster.PhaseKind;
import io.baton.events.ClusterEvent;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.Reason;
import io.baton.events.RequestOutcome;
import io.baton.events.RequestedAction;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SwitchoverTest {

  private static RequestedAction.Switchover to(String node) {
    return new RequestedAction.Switchover(Optional.empty(), Optional.of(node));
  }

  private static RequestedAction.Switchover awayFrom(String node) {
    return new RequestedAction.Switchover(Optional.of(node), Optional.empty());
  }

  private static Scenario streamingCluster() {
    Scenario s = Scenario.stableCluster();
    s.at(0.1).report(
        node("n1").primary("0/3000000").accepted(s.assignmentOf("n1"))
            .replica("n2", "async", "0/3000000").replica("n3", "async", "0/3000000"));
    s.clearEffects();
    return s;
  }

  /** A switchover from n1 to n2 whose target is synchronous: n1 is told to drain. */
  private static Scenario drainingTowardsN2() {
    Scenario s = streamingCluster();
    s.at(1).request(to("n2"));
    s.at(1.05).accepts(
        "n1",
        node("n1").primary("0/3000100").synchronousStandbyNames("FIRST 1 (\"n2\")")
            .replica("n2", "sync", "0/3000100").replica("n3", "async", "0/3000100"));
    s.assertGoal("n1", Goal.Drained.class);
    return s;
  }

  /** Runs the happy path of a switchover from n1 to n2 and returns the scenario at its end. */
  private static Scenario switchOverToN2(Scenario s, String request) {
    s.at(1.0).request(request, to("n2"));
    assertEquals(PhaseKind.SWITCHOVER_SYNCING, s.phase());
    Goal.Primary syncing = (Goal.Primary) s.assignmentOf("n1").goal();
    assertEquals(List.of("n2"), syncing.synchronousStandbys());

    s.at(1.05).accepts(
        "n1",
        node("n1").primary("0/3000100").synchronousStandbyNames("FIRST 1 (\"n2\")")
            .replica("n2", "sync", "0/3000100").replica("n3", "async", "0/3000000"));
    assertEquals(PhaseKind.SWITCHOVER_DRAINING, s.phase());
    s.assertGoal("n1", Goal.Drained.class);

    s.at(1.3).accepts("n1", node("n1").down("shut down", "0/3000200", false).drainedAt("0/3000200"));
    assertEquals(PhaseKind.PROMOTING, s.phase());
    Goal.Primary promote = (Goal.Primary) s.assignmentOf("n2").goal();
    assertEquals("0/3000200", promote.catchUpTo().orElseThrow().toString());
    assertEquals(2, s.assignmentOf("n2").epoch());
    s.assertFollows("n1", "n2");

    s.at(1.5).accepts("n2", node("n2").primary("0/3000300").timeline(2));
    return s;
  }

  @Test
  void switchesOverThroughSyncDrainAndPromotionWithOneMasterChange() {
    Scenario s = switchOverToN2(streamingCluster(), "r1");
    assertEquals(PhaseKind.STABLE, s.phase());
    assertEquals(1, s.masterRecords().size());
    assertEquals("n2", s.masterRecords().get(0).node());
    assertEquals(2, s.masterRecords().get(0).epoch());
    s.assertFollows("n3", "n2");
    ClusterEvent completed = s.onlyEvent(EventType.SWITCHOVER_COMPLETED);
    assertEquals(RequestOutcome.COMPLETED, completed.outcome().orElseThrow());
    assertEquals("r1", completed.requestId().orElseThrow());
    assertTrue(completed.message().endsWith("completed in 0.5 s"), completed.message());
    // asynchronous mode is restored on the new primary
    assertEquals(List.of(), ((Goal.Primary) s.assignmentOf("n2").goal()).synchronousStandbys());
  }

  @Test
  void drainsAtOnceWhenTheTargetIsAlreadyTheConfirmedSynchronousStandby() {
    Scenario s = streamingCluster();
    s.request(new RequestedAction.SetReplicationMode(io.baton.events.ReplicationMode.SYNC));
    s.at(0.5).report(node("n2").standbyOf("n1", "0/3000000"));
    assertEquals(List.of("n2"), s.state().sync().configured());
    s.at(0.6).accepts(
        "n1",
        node("n1").primary("0/3000000").synchronousStandbyNames("FIRST 1 (\"n2\")")
            .replica("n2", "sync", "0/3000000").replica("n3", "async", "0/3000000"));
    assertEquals(List.of("n2"), s.state().sync().promotable());

    s.at(1).request(to("n2"));
    assertEquals(PhaseKind.SWITCHOVER_DRAINING, s.phase());
    s.assertGoal("n1", Goal.Drained.class);
  }

  @Test
  void aRepeatedRequestIsAnsweredAgainNotActedOnTwice() {
    Scenario s = switchOverToN2(streamingCluster(), "r1");
    s.clearEffects();
    s.at(2).request("r1", to("n2"));
    assertEquals(PhaseKind.STABLE, s.phase());
    assertTrue(s.assignments().isEmpty());
    assertTrue(s.events().get(0).message().startsWith("already answered: switchover from n1 to n2"));
  }

  @Test
  void aHandoverFromANodeThatIsNoLongerPrimaryIsAlreadyDone() {
    Scenario s = switchOverToN2(streamingCluster(), "r1");
    s.clearEffects();
    s.at(2).request(awayFrom("n1"));
    ClusterEvent answer = s.onlyEvent(EventType.SWITCHOVER_COMPLETED);
    assertEquals("n1 is not the primary (n2 is): nothing to do", answer.message());
    assertTrue(s.assignments().isEmpty());
  }

  /**
   * Finding 2 of issue 9: the time-to-live runs from the broker's append, so a sender's clock
   * (or a forged requestedAt in the future) cannot keep a request alive.
   */
  @Test
  void aRequestAppendedLongBeforeItIsDecidedIsRefusedWhateverItsRequestedAtSays() {
    Scenario s = streamingCluster();
    s.at(100).report(node("n1").primary("0/3000000").accepted(s.assignmentOf("n1"))
        .replica("n2", "async", "0/3000000").replica("n3", "async", "0/3000000"));
    s.clearEffects();
    s.requestAppendedAt(100, 10, "late", to("n2"));
    assertTrue(
        s.onlyEvent(EventType.SWITCHOVER_REFUSED).message()
            .startsWith("switchover refused: the request expired (appended 90.0 s before"),
        s.describeEvents());
    assertEquals(Optional.of(Reason.EXPIRED), s.onlyEvent(EventType.SWITCHOVER_REFUSED).reason());
    assertEquals(PhaseKind.STABLE, s.phase());
    assertTrue(s.assignments().isEmpty());
  }

  /** A signed request recorded and appended again later carries its old requestedAt. */
  @Test
  void aRequestAppendedLongAfterItWasSignedIsRefusedAsReplayed() {
    Scenario s = streamingCluster();
    s.at(100).report(node("n1").primary("0/3000000").accepted(s.assignmentOf("n1"))
        .replica("n2", "async", "0/3000000").replica("n3", "async", "0/3000000"));
    s.clearEffects();
    s.requestAppendedAt(10, 100, "replayed", to("n2"));
    assertTrue(
        s.onlyEvent(EventType.SWITCHOVER_REFUSED).message()
            .contains("a recorded request sent again, or the sender's clock is off"),
        s.describeEvents());
    assertTrue(s.assignments().isEmpty());
  }

  @Test
  void isRefusedInMaintenanceMode() {
    Scenario s = streamingCluster();
    s.request(new RequestedAction.SetMaintenance(true));
    s.request(to("n2"));
    assertEquals(
        "switchover refused: the cluster is in maintenance mode",
        s.onlyEvent(EventType.SWITCHOVER_REFUSED).message());
    assertEquals(
        Optional.of(Reason.MAINTENANCE), s.onlyEvent(EventType.SWITCHOVER_REFUSED).reason());
    assertEquals(PhaseKind.STABLE, s.phase());
  }

  @Test
  void isRefusedWhenNoStandbyCanTakeOverAndSaysWhy() {
    Scenario s = Scenario.stableCluster();
    s.at(0.1).report(
        node("n1").primary("0/5000000").accepted(s.assignmentOf("n1")).replica("n2", "async", "0/3000000"));
    s.at(0.2).report(node("n2").standbyOf("n1", "0/3000000"));
    s.at(0.3).report(node("n3").standbyOf("n1", "0/5000000").leaving());
    s.request(awayFrom("n1"));
    String why = s.onlyEvent(EventType.SWITCHOVER_REFUSED).message();
    assertTrue(why.contains("n2: lags 32.0 MiB behind n1"), why);
    assertTrue(why.contains("n3: leaving"), why);
    assertEquals(
        Optional.of(Reason.NO_CANDIDATE), s.onlyEvent(EventType.SWITCHOVER_REFUSED).reason());
  }

  @Test
  void isRefusedWhileAnotherOperationIsInProgress() {
    Scenario s = streamingCluster();
    s.at(1).request(to("n2"));
    s.at(1.01).request(to("n3"));
    assertTrue(
        s.onlyEvent(EventType.SWITCHOVER_REFUSED).message()
            .contains("another operation is in progress: switchover from n1 to n2 (syncing)"));
    assertEquals(Optional.of(Reason.BUSY), s.onlyEvent(EventType.SWITCHOVER_REFUSED).reason());
  }

  @Test
  void aTargetLostBeforeItBecameSynchronousAbortsAndUnblocksWrites() {
    Scenario s = streamingCluster();
    s.at(1).request(to("n2"));
    for (double t = 2; t <= 6.5; t += 0.5) {
      s.at(t).report(
          node("n1").primary("0/3000100").accepted(s.assignmentOf("n1"))
              .synchronousStandbyNames("FIRST 1 (\"n2\")").replica("n3", "async", "0/3000100"));
    }
    s.ticksUntil(6.5);
    assertEquals(PhaseKind.STABLE, s.phase());
    assertTrue(
        s.onlyEvent(EventType.SWITCHOVER_ABORTED).message().contains("n2 can no longer take over (lost)"));
    assertEquals(List.of(), ((Goal.Primary) s.assignmentOf("n1").goal()).synchronousStandbys());
  }

  @Test
  void aTargetLostWhileThePrimaryDrainsIsReplacedByTheNextBestStandby() {
    Scenario s = drainingTowardsN2();
    for (double t = 2; t <= 5.5; t += 0.5) {
      s.at(t).report(node("n3").standbyAt("0/3000200"));
    }
    s.ticksUntil(5.5);
    assertEquals(PhaseKind.SWITCHOVER_DRAINING, s.phase());
    assertTrue(s.events(EventType.SWITCHOVER_PROGRESS).get(1).message().startsWith("switching over to n3 instead"));
    s.at(5.6).accepts("n1", node("n1").down("shut down", "0/3000200", false).drainedAt("0/3000200"));
    s.assertGoal("n3", Goal.Primary.class);
  }

  @Test
  void theOldPrimaryResumesWhenTheTargetGivesUpWithoutPromoting() {
    Scenario s = streamingCluster();
    s.at(1.0).request(to("n2"));
    s.at(1.05).accepts(
        "n1",
        node("n1").primary("0/3000100").synchronousStandbyNames("FIRST 1 (\"n2\")")
            .replica("n2", "sync", "0/3000100"));
    s.at(1.3).accepts("n1", node("n1").down("shut down", "0/3000200", false).drainedAt("0/3000200"));
    long promotion = s.assignmentOf("n2").generation();
    s.at(4).accepts("n2", node("n2").standbyAt("0/3000100").relinquished(promotion));
    assertEquals(PhaseKind.PROMOTING, s.phase());
    s.assertGoal("n1", Goal.Primary.class);
    assertEquals(RequestOutcome.FAILED, s.onlyEvent(EventType.SWITCHOVER_ABORTED).outcome().orElseThrow());
    s.at(4.3).accepts("n1", node("n1").primary("0/3000300").timeline(2));
    assertEquals("n1", s.masterRecords().get(0).node());
    assertEquals(3, s.masterRecords().get(0).epoch());
  }

  @Test
  void aPrimaryLostWhileItsTargetBecomesSynchronousTurnsTheSwitchoverIntoAFailover() {
    Scenario s = streamingCluster();
    s.at(1).request(to("n2"));
    for (double t = 2; t <= 6; t += 1) {
      s.at(t).report(node("n2").standbyAt("0/3000000"));
      s.at(t).report(node("n3").standbyAt("0/3000000"));
    }
    s.ticksUntil(6.1);
    assertEquals(RequestOutcome.FAILED, s.onlyEvent(EventType.SWITCHOVER_ABORTED).outcome().orElseThrow());
    s.onlyEvent(EventType.PRIMARY_LOST);
    assertEquals(PhaseKind.PROMOTING, s.phase(), "the failover goes on");
  }

  @Test
  void aPrimaryThatCrashesWhileDrainingTurnsTheSwitchoverIntoAFailover() {
    Scenario s = streamingCluster();
    s.at(1).request(to("n2"));
    s.at(1.05).accepts(
        "n1",
        node("n1").primary("0/3000100").synchronousStandbyNames("FIRST 1 (\"n2\")")
            .replica("n2", "sync", "0/3000100"));
    long primaryGeneration = s.state().node("n1").orElseThrow().lastPrimaryGeneration().orElseThrow();
    s.at(1.2).accepts(
        "n1", node("n1").down("in production", "0/3000100", false).relinquished(primaryGeneration));
    assertTrue(
        s.onlyEvent(EventType.SWITCHOVER_ABORTED).message().contains("was lost"), s.describeEvents());
    s.at(1.3).report(node("n2").standbyAt("0/3000100"));
    s.at(1.3).report(node("n3").standbyAt("0/3000100"));
    s.assertGoal("n2", Goal.Primary.class);
  }

  @Test
  void aDrainThatDoesNotFinishInTimeIsCalledOffAndThePrimaryResumes() {
    Scenario s = drainingTowardsN2();
    for (double t = 2; t <= 17; t += 1) {
      s.at(t).report(node("n1").primary("0/3000100").accepted(s.assignmentOf("n1")));
      s.at(t).report(node("n2").standbyOf("n1", "0/3000100"));
      s.at(t).report(node("n3").standbyOf("n1", "0/3000100"));
    }
    assertTrue(
        s.onlyEvent(EventType.SWITCHOVER_ABORTED).message()
            .contains("n1 did not finish draining within the switchover timeout of 15.0 s"),
        s.describeEvents());
    s.assertGoal("n1", Goal.Primary.class);
    assertEquals(PhaseKind.PROMOTING, s.phase());
  }

  @Test
  void aLeavingPrimaryHandsOverToTheStandbyThatIsNotLeaving() {
    Scenario s = streamingCluster();
    s.at(0.5).report(node("n3").standbyOf("n1", "0/3000000").leaving());
    s.at(1).report(
        node("n1").primary("0/3000000").accepted(s.assignmentOf("n1")).leaving()
            .replica("n2", "async", "0/3000000").replica("n3", "async", "0/3000000"));
    s.request(awayFrom("n1"));
    assertEquals("n2", ((io.baton.coordinator.cluster.Phase.Switchover) s.state().phase()).target());
  }

  /**
   * The preStop handover, asked in the primary's own heartbeat: a switchover away from it under
   * the heartbeat's id, by the same rules as an operator's (agents no longer write requests).
   */
  @Test
  void aPrimaryAskingForAHandoverInItsHeartbeatIsSwitchedOverAwayUnderItsId() {
    Scenario s = streamingCluster();
    s.at(1).report(node("n1").primary("0/3000000").accepted(s.assignmentOf("n1")).handover("h1")
        .replica("n2", "async", "0/3000000").replica("n3", "async", "0/3000000"));

    ClusterEvent started = s.onlyEvent(EventType.SWITCHOVER_STARTED);
    assertEquals("h1", started.requestId().orElseThrow());
    assertTrue(started.message().contains("requested by handover:n1"), started.message());
    assertEquals(PhaseKind.SWITCHOVER_SYNCING, s.phase());
    assertEquals("n1", ((io.baton.coordinator.cluster.Phase.Switchover) s.state().phase()).from());
  }

  /** As the agent used to retry, the coordinator waits while another operation runs. */
  @Test
  void aHandoverAskedDuringAnotherOperationWaitsAndIsAnsweredWhenItEnds() {
    Scenario s = streamingCluster();
    s.at(0.9).request("r1", to("n2"));
    s.clearEffects();
    s.at(1.0).accepts("n1", node("n1").primary("0/3000100").handover("h1")
        .synchronousStandbyNames("FIRST 1 (\"n2\")")
        .replica("n2", "sync", "0/3000100").replica("n3", "async", "0/3000000"));
    assertTrue(s.events().stream().noneMatch(e -> e.requestId().equals(Optional.of("h1"))),
        "not refused while the switchover runs: " + s.describeEvents());

    s.at(1.3).accepts("n1", node("n1").down("shut down", "0/3000200", false)
        .drainedAt("0/3000200").handover("h1"));
    s.at(1.5).accepts("n2", node("n2").primary("0/3000300").timeline(2));
    assertEquals(PhaseKind.STABLE, s.phase());
    s.at(1.6).tick();
    ClusterEvent answer = s.events().stream()
        .filter(e -> e.requestId().equals(Optional.of("h1"))).findFirst()
        .orElseThrow(() -> new AssertionError("h1 unanswered:" + s.describeEvents()));
    assertEquals("n1 is not the primary (n2 is): nothing to do", answer.message());
    assertEquals(RequestOutcome.COMPLETED, answer.outcome().orElseThrow());

    s.clearEffects();
    s.at(2.0).report(node("n1").standbyOf("n2", "0/3000300").timeline(2).handover("h1"));
    s.at(2.1).tick();
    assertTrue(s.events().stream().noneMatch(e -> e.requestId().isPresent()),
        "answered once: " + s.describeEvents());
  }
}
