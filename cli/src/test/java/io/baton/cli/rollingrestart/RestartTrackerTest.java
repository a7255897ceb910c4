package io.baton.cli.rollingrestart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.baton.cli.cluster.Beat;
import io.baton.cli.cluster.HeartbeatRecord;
import io.baton.events.Convergence;
import io.baton.events.Health;
import io.baton.events.Lsn;
import org.junit.jupiter.api.Test;

class RestartTrackerTest {
  /** The restart was triggered when the heartbeats partition ended at offset 100. */
  private final RestartTracker tracker =
      new RestartTracker("n2", Beat.master("n1", 1), Lsn.parse("0/3000060"), 100);

  private static HeartbeatRecord caughtUp(long offset) {
    return Beat.standby("n2").at(offset);
  }

  private static HeartbeatRecord restartedByAgent(long offset) {
    return Beat.standby("n2").agent(Convergence.CONVERGING, "restarted: restart requested over HTTP").at(offset);
  }

  @Test
  void anIdleStandbyLooksCaughtUpBeforeItsRestartSoThatIsNotEnough() {
    assertEquals(new CatchUp.Waiting("waiting for n2 to restart"), tracker.offer(caughtUp(101)));
    assertEquals(new CatchUp.Waiting("waiting for n2 to restart"), tracker.offer(caughtUp(102)));
  }

  @Test
  void heartbeatsFromBeforeTheRestartAreIgnored() {
    tracker.offer(Beat.standby("n2").health(Health.DOWN).at(99));

    assertEquals(new CatchUp.Waiting("waiting for n2 to restart"), tracker.offer(caughtUp(101)));
  }

  @Test
  void theAgentsRestartReportIsEvidenceAndALaterHeartbeatProvesTheCatchUp() {
    tracker.offer(caughtUp(101));
    CatchUp afterReport = tracker.offer(restartedByAgent(102));
    CatchUp afterFresh = tracker.offer(caughtUp(103));

    assertInstanceOf(CatchUp.Waiting.class, afterReport, "the report may carry the old observation");
    assertEquals(new CatchUp.CaughtUp(caughtUp(103)), afterFresh);
  }

  @Test
  void whileTheAgentStillReportsItsRestartTheObservationMayBeTheOldOne() {
    tracker.offer(restartedByAgent(101));

    assertInstanceOf(CatchUp.Waiting.class, tracker.offer(restartedByAgent(102)));
    assertInstanceOf(CatchUp.Waiting.class, tracker.offer(restartedByAgent(103)));
    assertInstanceOf(CatchUp.CaughtUp.class, tracker.offer(caughtUp(104)));
  }

  @Test
  void aNodeSeenDownHasRestartedAndMustThenStreamAndReachTheTarget() {
    tracker.offer(Beat.standby("n2").health(Health.DOWN).agent(Convergence.CONVERGING, "starting").at(101));
    CatchUp starting = tracker.offer(Beat.standby("n2").noReceiver().at(102));
    CatchUp connecting = tracker.offer(Beat.standby("n2").receiver("starting", "n1").at(103));
    CatchUp behind = tracker.offer(Beat.standby("n2").received("0/3000060").replayed("0/3000000").at(104));
    CatchUp done = tracker.offer(caughtUp(105));

    assertEquals(new CatchUp.Waiting("n2 is up, its WAL receiver not yet started"), starting);
    assertEquals(new CatchUp.Waiting("n2 is up, WAL receiver starting from 127.0.0.1:5431 (not streaming from n1 yet)"),
        connecting);
    assertEquals(new CatchUp.Waiting("n2 is streaming from n1, received 0/3000060 replayed 0/3000000 of 0/3000060"),
        behind);
    assertInstanceOf(CatchUp.CaughtUp.class, done);
  }

  @Test
  void streamingFromAnotherNodeIsNotCaughtUp() {
    tracker.offer(restartedByAgent(101));

    assertInstanceOf(CatchUp.Waiting.class, tracker.offer(Beat.standby("n2").from("n3").at(102)));
  }

  @Test
  void receivedButNotReplayedIsNotCaughtUp() {
    tracker.offer(restartedByAgent(101));

    assertInstanceOf(CatchUp.Waiting.class,
        tracker.offer(Beat.standby("n2").received("0/3000060").replayed("0/3000058").at(102)));
  }

  @Test
  void aReceivedPositionStillAtTheSegmentStartAfterTheRestartIsNoObstacle() {
    tracker.offer(restartedByAgent(101));

    assertInstanceOf(CatchUp.CaughtUp.class,
        tracker.offer(Beat.standby("n2").received("0/3000000").replayed("0/3000060").at(102)));
  }

  @Test
  void aCommandThatReturnedVouchesForHeartbeatsSentAfterIt() {
    tracker.offer(caughtUp(101));
    tracker.hookVouched(110);

    assertInstanceOf(CatchUp.Waiting.class, tracker.offer(caughtUp(105)));
    assertInstanceOf(CatchUp.Waiting.class, tracker.offer(caughtUp(110)));
    assertInstanceOf(CatchUp.CaughtUp.class, tracker.offer(caughtUp(111)));
  }

  @Test
  void theAgentFailingToRestartStopsTheWait() {
    CatchUp state = tracker.offer(Beat.standby("n2").health(Health.DOWN)
        .agent(Convergence.FAILED, "restart failed: pg_ctl exited with 1").at(101));

    assertEquals(new CatchUp.Failed("n2's agent could not restart PostgreSQL: restart failed: pg_ctl exited with 1"),
        state);
  }

  @Test
  void otherNodesHeartbeatsDoNotCount() {
    tracker.offer(Beat.standby("n3").health(Health.DOWN).at(101));

    assertInstanceOf(CatchUp.Waiting.class, tracker.offer(caughtUp(102)));
  }

  @Test
  void onceCaughtUpItStaysSo() {
    tracker.offer(restartedByAgent(101));
    tracker.offer(caughtUp(102));

    assertInstanceOf(CatchUp.CaughtUp.class, tracker.offer(Beat.standby("n2").health(Health.DOWN).at(103)));
  }
}
