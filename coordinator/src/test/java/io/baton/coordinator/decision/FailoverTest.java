package io.baton.coordinator.decision;

import static io.baton.coordinator.decision.NodeReport.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.coordinator.cluster.PhaseKind;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.MasterRecord;
import io.baton.events.Reason;
import io.baton.events.RequestOutcome;
import io.baton.events.RequestedAction;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverTest {

  /** n1 stops heartbeating at 0; the standbys keep reporting until n1's lease has lapsed. */
  private static Scenario primaryGoesSilent(Scenario s, String n2Lsn, String n3Lsn) {
    for (double t = 1; t <= 5; t += 1) {
      s.at(t).report(node("n2").standbyAt(n2Lsn));
      s.at(t).report(node("n3").standbyAt(n3Lsn));
    }
    return s.ticksUntil(5.0);
  }

  @Test
  void promotesTheStandbyHoldingTheMostWalOnceThePrimaryLeaseLapsed() {
    Scenario s = primaryGoesSilent(Scenario.stableCluster(), "0/3000100", "0/3000000");

    assertEquals(PhaseKind.PROMOTING, s.phase());
    s.assertGoal("n2", Goal.Primary.class);
    assertEquals(2, s.assignmentOf("n2").epoch());
    s.assertFollows("n1", "n2");
    assertTrue(s.onlyEvent(EventType.CANDIDATE_CHOSEN).message().startsWith("promoting n2: holds the most WAL"));
    s.assertNoMasterChange();

    s.at(5.2).accepts("n2", node("n2").primary("0/3000200").timeline(2));
    MasterRecord master = s.masterRecords().get(0);
    assertEquals("n2", master.node());
    assertEquals(2, master.epoch());
    assertEquals(2, master.timeline());
    assertTrue(master.reason().startsWith("failover: primary n1 lost"), master.reason());
    s.assertFollows("n3", "n2");
    assertEquals(PhaseKind.STABLE, s.phase());
    assertEquals(
        List.of(EventType.PRIMARY_LOST, EventType.CANDIDATE_CHOSEN, EventType.PROMOTED),
        s.events().stream().map(e -> e.type())
            .filter(t -> t != EventType.NODE_UNHEALTHY && t != EventType.NODE_LOST)
            .toList());
  }

  @Test
  void failsOverAtOnceWhenThePrimaryAgentReportsPostgresDown() {
    Scenario s = Scenario.stableCluster();
    s.at(0.3).report(
        node("n1").down("in production", "0/2000000", false)
            .accepted(s.assignmentOf("n1")).relinquished(s.assignmentOf("n1").generation()));
    assertEquals(PhaseKind.PRIMARY_LOST, s.phase());
    s.assertNoEvent(EventType.FAILOVER_BLOCKED);

    // The standbys' WAL receivers notice at once and their agents report; the choice waits for
    // every live node, since the one that has not spoken may hold the most WAL.
    s.at(0.4).report(node("n3").standbyAt("0/3000000"));
    assertEquals(PhaseKind.PRIMARY_LOST, s.phase());
    s.at(0.4).report(node("n2").standbyAt("0/2FFFF00"));
    assertEquals(PhaseKind.PROMOTING, s.phase());
    s.assertGoal("n3", Goal.Primary.class);
  }

  @Test
  void measuresLagFromThePrimaryLastRunningPositionNotItsLastCheckpoint() {
    Scenario s = Scenario.stableCluster();
    s.at(0.1).report(node("n1").primary("0/5000000").accepted(s.assignmentOf("n1")));
    s.at(0.3).report(
        node("n1").down("in production", "0/2000000", false)
            .accepted(s.assignmentOf("n1")).relinquished(s.assignmentOf("n1").generation()));
    s.at(0.4).report(node("n2").standbyAt("0/3000000"));
    s.assertNoEvent(EventType.FAILOVER_BLOCKED);
    s.at(0.4).report(node("n3").standbyAt("0/2000000"));
    // No standby can be promoted, and n1's agent is alive: n1 is restarted in place.
    assertTrue(
        s.onlyEvent(EventType.PRIMARY_REINSTATED).message()
            .contains("n2: lags 32.0 MiB behind the last acknowledged position 0/5000000"),
        s.describeEvents());
    s.assertGoal("n1", Goal.Primary.class);
  }

  @Test
  void reportsWhyNothingHappensOncePerReasonAndPromotesWhenForced() {
    Scenario s = primaryGoesSilent(Scenario.stableCluster(), "0/2000000", "0/2800000");
    assertEquals(PhaseKind.PRIMARY_LOST, s.phase());
    String why = s.onlyEvent(EventType.FAILOVER_BLOCKED).message();
    assertTrue(why.contains("n3: lags 8.0 MiB"), why);
    s.at(5.5).tick();
    s.at(6.0).report(node("n2").standbyAt("0/2000000"));
    s.onlyEvent(EventType.FAILOVER_BLOCKED);

    String request = s.request(new RequestedAction.Failover(Optional.empty(), true));
    assertEquals(PhaseKind.PROMOTING, s.phase());
    s.assertGoal("n3", Goal.Primary.class);
    assertEquals(
        RequestOutcome.ACCEPTED,
        s.events(EventType.CANDIDATE_CHOSEN).get(0).outcome().orElseThrow());
    assertEquals(request, s.events(EventType.CANDIDATE_CHOSEN).get(0).requestId().orElseThrow());
  }

  @Test
  void prefersTheHigherPriorityAmongEquallyAdvancedStandbys() {
    Scenario s = Scenario.stableCluster();
    for (double t = 1; t <= 5; t += 1) {
      s.at(t).report(node("n2").standbyAt("0/3000000").priority(50));
      s.at(t).report(node("n3").standbyAt("0/3000000").priority(150));
    }
    s.ticksUntil(5.0);
    s.assertGoal("n3", Goal.Primary.class);
  }

  @Test
  void neverPromotesANoFailoverOrLeavingNode() {
    Scenario s = Scenario.stableCluster();
    for (double t = 1; t <= 5; t += 1) {
      s.at(t).report(node("n2").standbyAt("0/3000100").noFailover());
      s.at(t).report(node("n3").standbyAt("0/3000000").leaving());
    }
    s.ticksUntil(5.0);
    assertEquals(PhaseKind.PRIMARY_LOST, s.phase());
    String why = s.onlyEvent(EventType.FAILOVER_BLOCKED).message();
    assertTrue(why.contains("n2: tagged no-failover") && why.contains("n3: leaving"), why);
  }

  @Test
  void reinstatesTheReturnedPrimaryWhenNoStandbyCouldBePromoted() {
    Scenario s = primaryGoesSilent(Scenario.stableCluster(), "0/1000000", "0/1000000");
    assertEquals(PhaseKind.PRIMARY_LOST, s.phase());
    long previous = s.assignmentOf("n1").generation();

    // The agent resumes, finds its lease lapsed and PostgreSQL fenced, and says so.
    s.at(6).report(
        node("n1").down("in production", "0/3000000", false).fenced()
            .accepted(s.assignmentOf("n1")).relinquished(previous));
    // Both standbys reported after n1 was last heard, and neither can be promoted: n1 holds every
    // write it acknowledged, so it takes the role back at once.
    s.onlyEvent(EventType.PRIMARY_REINSTATED);
    s.assertGoal("n1", Goal.Primary.class);
    assertTrue(s.assignmentOf("n1").generation() > previous);
    assertEquals(2, s.assignmentOf("n1").epoch());

    s.at(6.5).accepts("n1", node("n1").primary("0/3000100"));
    assertEquals("n1", s.masterRecords().get(0).node());
    assertEquals(2, s.masterRecords().get(0).epoch());
  }

  @Test
  void choosesAgainWhenTheCandidateIsLostBeforeReportingItsPromotion() {
    Scenario s = primaryGoesSilent(Scenario.stableCluster(), "0/3000100", "0/3000000");
    s.assertGoal("n2", Goal.Primary.class);
    for (double t = 6; t <= 11; t += 1) {
      s.at(t).report(node("n3").standbyAt("0/3000000"));
    }
    s.ticksUntil(11);
    s.onlyEvent(EventType.PROMOTION_FAILED);
    s.assertGoal("n3", Goal.Primary.class);
    assertEquals(3, s.assignmentOf("n3").epoch());
  }

  @Test
  void aCandidateLostBeforeReportingKeepsTheTimelineItMayHaveTaken() {
    Scenario s = primaryGoesSilent(Scenario.stableCluster(), "0/3000100", "0/3000000");
    Goal.Primary first = (Goal.Primary) s.assignmentOf("n2").goal();
    long reported = s.state().nodeViews().mapToLong(n -> n.timeline()).max().orElseThrow();
    assertTrue(first.timelineAbove().orElseThrow() >= reported, first + " below " + reported);
    for (double t = 6; t <= 11; t += 1) {
      s.at(t).report(node("n3").standbyAt("0/3000000"));
    }
    s.ticksUntil(11);
    s.onlyEvent(EventType.PROMOTION_FAILED);
    // n2 may have promoted to the timeline above first's floor without a word: n3 must not take it
    // too, or pg_rewind could never tell their histories apart.
    Goal.Primary second = (Goal.Primary) s.assignmentOf("n3").goal();
    assertTrue(second.timelineAbove().orElseThrow() > first.timelineAbove().orElseThrow(),
        first + " then " + second);
  }

  @Test
  void aFailoverRequestIsRefusedWhileThePrimaryIsHealthy() {
    Scenario s = Scenario.stableCluster();
    s.request(new RequestedAction.Failover(Optional.of("n2"), false));
    assertTrue(
        s.onlyEvent(EventType.REQUEST_REFUSED).message()
            .contains("n1 is the primary and healthy: use a switchover"));
    assertEquals(
        Optional.of(Reason.PRIMARY_HEALTHY), s.onlyEvent(EventType.REQUEST_REFUSED).reason());
    assertEquals(PhaseKind.STABLE, s.phase());
  }

  @Test
  void anUnhealthyPrimaryIsStoppedSoThatAStandbyCanTakeOver() {
    Scenario s = Scenario.stableCluster();
    s.at(0.5).report(node("n1").unreachable().accepted(s.assignmentOf("n1")));
    for (double t = 1; t <= 5.5; t += 0.5) {
      s.at(t).report(node("n1").unreachable().accepted(s.assignmentOf("n1")));
      s.at(t).report(node("n2").standbyOf("n1", "0/3000000"));
    }
    s.assertGoal("n1", Goal.Stopped.class);
    long primaryGeneration = s.state().node("n1").orElseThrow().lastPrimaryGeneration().orElseThrow();
    s.at(5.7).accepts("n1", node("n1").down("in production", "0/3000000", false).relinquished(primaryGeneration));
    s.at(5.8).report(node("n2").standbyAt("0/3000000"));
    s.assertGoal("n2", Goal.Primary.class);
  }
}
