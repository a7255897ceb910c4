package io.baton.agent.convergence;

import static io.baton.agent.convergence.Situations.N2;
import static io.baton.agent.convergence.Situations.primary;
import static io.baton.agent.convergence.Situations.runningPrimary;
import static io.baton.agent.convergence.Situations.runningStandby;
import static io.baton.agent.convergence.Situations.situation;
import static io.baton.agent.convergence.Situations.standbyOfN2;
import static io.baton.agent.convergence.Situations.stopped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.events.Convergence;
import io.baton.events.Goal;
import io.baton.events.Health;
import io.baton.events.Lsn;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One test per cell that matters for safety or progress, named for the story it tells. */
class ConvergenceTableTest {

  @Test
  void aRunningPrimaryWhoseLeaseExpiredIsFencedWhateverItsGoal() {
    for (Goal goal : List.of(primary(), new Goal.Drained(), new Goal.Stopped())) {
      Action action = situation().goal(goal).postgres(runningPrimary("")).leaseExpired().decide();
      assertInstanceOf(Action.Fence.class, action, goal.state());
    }
  }

  @Test
  void aRunningPrimaryToldToBeAStandbyIsFencedAtOnceNotStoppedCleanly() {
    Action action = situation().goal(standbyOfN2()).postgres(runningPrimary("")).decide();
    assertInstanceOf(Action.Fence.class, action);
    assertTrue(action.why().startsWith("n2 is the primary"));
  }

  @Test
  void aPrimaryNeverStaysWritableUnderARelinquishedGeneration() {
    Action action =
        situation().goal(primary()).postgres(runningPrimary("")).relinquished(7).decide();
    assertInstanceOf(Action.Fence.class, action);
  }

  @Test
  void aPrimaryThatCrashedRelinquishesInsteadOfRestartingOnItsOwn() {
    Action action =
        situation().goal(primary()).postgres(stopped("in production", false)).ranSinceAssigned().decide();
    Action.Relinquish relinquish = assertInstanceOf(Action.Relinquish.class, action);
    assertEquals(7, relinquish.generation());
  }

  @Test
  void aPrimaryAssignmentStartsPostgresWritableOnlyUnderALease() {
    assertInstanceOf(
        Action.StartPrimary.class,
        situation().goal(primary()).postgres(stopped("shut down", false)).decide());
    Action.Wait wait =
        assertInstanceOf(
            Action.Wait.class,
            situation().goal(primary()).postgres(stopped("shut down", false)).leaseExpired().decide());
    assertEquals(Convergence.WAITING, wait.status());
  }

  /**
   * Finding 2 and 6 of issue 8: the agent does not prove by itself that nobody was promoted while
   * it was fenced; the coordinator, which decides in one order on one clock, renews the role under
   * a newer generation.
   */
  @Test
  void aFencedPrimaryWaitsUnderTheSameGenerationAndUnfencesUnderARenewedOne() {
    Action same =
        situation().goal(primary()).postgres(stopped("in production", false)).fenced()
            .ranSinceAssigned().decide();
    assertEquals(Convergence.WAITING, assertInstanceOf(Action.Wait.class, same).status());
    Action renewed =
        situation().goal(primary()).postgres(stopped("in production", false)).fencedUnder(6)
            .decide();
    Action.StartPrimary start = assertInstanceOf(Action.StartPrimary.class, renewed);
    assertTrue(start.why().startsWith("unfencing"), start.why());
  }

  /**
   * Finding 1 of issue 8: a primary the agent cannot log in to (or one starting, in crash
   * recovery) may accept writes: without a lease it is fenced, whatever the goal.
   */
  @Test
  void anUnobservablePostgresThatMayAcceptWritesIsFencedWithoutALeaseWhateverTheGoal() {
    for (Health health : List.of(Health.UNREACHABLE, Health.STARTING)) {
      for (Optional<Goal> goal :
          List.of(Optional.<Goal>empty(), Optional.<Goal>of(primary()),
              Optional.<Goal>of(new Goal.Drained()), Optional.<Goal>of(new Goal.Stopped()),
              Optional.<Goal>of(standbyOfN2()))) {
        Situations s = situation().postgres(Situations.health(health)).possiblyWritable(true);
        goal.ifPresent(s::goal);
        assertInstanceOf(Action.Fence.class, s.leaseExpired().decide(), health + " " + goal);
      }
    }
  }

  @Test
  void anUnobservableStandbyIsNotFencedWhenItsLeaseRunsOut() {
    Action action =
        situation().goal(standbyOfN2()).postgres(Situations.health(Health.UNREACHABLE))
            .possiblyWritable(false).leaseExpired().decide();
    assertInstanceOf(Action.Wait.class, action);
  }

  @Test
  void aNodeAssignedStandbyThatMayAcceptWritesButDoesNotAnswerIsStopped() {
    Action action =
        situation().goal(standbyOfN2()).postgres(Situations.health(Health.UNREACHABLE))
            .possiblyWritable(true).decide();
    assertTrue(assertInstanceOf(Action.Fence.class, action).why().startsWith("n2 is the primary"));
  }

  @Test
  void aRelinquishedPrimaryGenerationWaitsForANewerAssignment() {
    Action action =
        situation().goal(primary()).postgres(stopped("in production", false)).relinquished(7).decide();
    assertEquals(Convergence.WAITING, assertInstanceOf(Action.Wait.class, action).status());
  }

  @Test
  void aStandbyPromotesOnlyAfterReceivingTheDrainedPrimaryLastPosition() {
    Goal.Primary switchover =
        new Goal.Primary(List.of(), 0, Optional.of(Lsn.parse("0/3000200")));
    Action waiting =
        situation().goal(switchover).postgres(runningStandby(Optional.empty(), false, "0/3000100")).decide();
    assertEquals(Convergence.CONVERGING, assertInstanceOf(Action.Wait.class, waiting).status());
    assertInstanceOf(
        Action.Promote.class,
        situation().goal(switchover).postgres(runningStandby(Optional.empty(), false, "0/3000200")).decide());
  }

  @Test
  void aStandbyThatCannotCatchUpInTimeRelinquishesRatherThanPromoteWithoutTheData() {
    Goal.Primary switchover =
        new Goal.Primary(List.of(), 0, Optional.of(Lsn.parse("0/3000200")));
    Action action =
        situation().goal(switchover).postgres(runningStandby(Optional.empty(), false, "0/3000100"))
            .assignedFor(Duration.ofSeconds(11)).decide();
    assertInstanceOf(Action.Relinquish.class, action);
  }

  @Test
  void aStandbyDoesNotPromoteWithoutALease() {
    Action action =
        situation().goal(primary()).postgres(runningStandby(Optional.of(N2), true, "0/3000000"))
            .leaseExpired().decide();
    assertInstanceOf(Action.Wait.class, action);
  }

  @Test
  void aPrimaryGetsItsSynchronousStandbysWithoutARestart() {
    Goal.Primary sync = new Goal.Primary(List.of("n3"), 1, Optional.empty());
    Action action = situation().goal(sync).postgres(runningPrimary("")).decide();
    Action.ApplySynchronousStandbyNames apply =
        assertInstanceOf(Action.ApplySynchronousStandbyNames.class, action);
    assertEquals("FIRST 1 (\"n3\")", apply.value());
    assertInstanceOf(
        Action.Converged.class,
        situation().goal(sync).postgres(runningPrimary("FIRST 1 (\"n3\")")).decide());
  }

  @Test
  void aStandbyFollowingAnotherUpstreamIsRepointedWithoutARestart() {
    Action action =
        situation().goal(standbyOfN2())
            .postgres(runningStandby(Optional.of(new io.baton.events.Upstream("n1", "127.0.0.1", 5431)), true, "0/3000000"))
            .decide();
    assertInstanceOf(Action.Follow.class, action);
  }

  @Test
  void aStandbyAlreadyPointedAtADownUpstreamIsNotRepointedOverAndOver() {
    Action action =
        situation().goal(standbyOfN2()).postgres(runningStandby(Optional.empty(), false, "0/3000000"))
            .configured(Optional.of(N2)).decide();
    assertEquals("connecting to n2", assertInstanceOf(Action.Wait.class, action).why());
  }

  @Test
  void aStandbyThatStoppedStreamingFromAReachableUpstreamIsRewound() {
    Action waiting =
        situation().goal(standbyOfN2()).postgres(runningStandby(Optional.of(N2), false, "0/3000000"))
            .configured(Optional.of(N2)).notStreamingFor(Duration.ofSeconds(3), true).decide();
    assertInstanceOf(Action.Wait.class, waiting);
    Action unreachable =
        situation().goal(standbyOfN2()).postgres(runningStandby(Optional.of(N2), false, "0/3000000"))
            .configured(Optional.of(N2)).notStreamingFor(Duration.ofSeconds(30), false).decide();
    assertInstanceOf(Action.Wait.class, unreachable, "no rewind while the upstream is down");
    Action rewind =
        situation().goal(standbyOfN2()).postgres(runningStandby(Optional.of(N2), false, "0/3000000"))
            .configured(Optional.of(N2)).notStreamingFor(Duration.ofSeconds(10), true).decide();
    assertInstanceOf(Action.Rejoin.class, rewind);
  }

  @Test
  void aFormerPrimaryRejoinsThroughARewind() {
    Action action = situation().goal(standbyOfN2()).postgres(stopped("in production", false)).decide();
    assertEquals(N2, assertInstanceOf(Action.Rejoin.class, action).upstream());
  }

  @Test
  void aDrainedPrimaryReportsItsLastPositionOnlyAfterACleanStop() {
    Action clean =
        situation().goal(new Goal.Drained()).lastPrimary(7).postgres(stopped("shut down", false)).decide();
    assertEquals("drained at 0/3000100", assertInstanceOf(Action.Converged.class, clean).why());
    Action crashed =
        situation().goal(new Goal.Drained()).lastPrimary(7).postgres(stopped("in production", false)).decide();
    assertEquals(7, assertInstanceOf(Action.Relinquish.class, crashed).generation());
  }

  @Test
  void aPrimaryStoppedAsAssignedRelinquishesSoTheCoordinatorCanFailOver() {
    Action action =
        situation().goal(new Goal.Stopped()).lastPrimary(7).postgres(stopped("shut down", false)).decide();
    assertEquals(7, assertInstanceOf(Action.Relinquish.class, action).generation());
    assertInstanceOf(
        Action.Converged.class,
        situation().goal(new Goal.Stopped()).lastPrimary(7).relinquished(7)
            .postgres(stopped("shut down", false)).decide());
  }

  @Test
  void withoutAnAssignmentNothingIsStartedOrStopped() {
    for (var status :
        List.of(runningPrimary(""), stopped("shut down", false), stopped("shut down in recovery", true))) {
      Action action = situation().postgres(status).decide();
      assertEquals(Convergence.UNASSIGNED, assertInstanceOf(Action.Wait.class, action).status());
    }
  }
}
