package io.baton.cli.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.baton.cli.ExitCode;
import io.baton.client.operator.RequestClient.Answer;
import io.baton.events.ClusterEvent;
import io.baton.events.EventType;
import io.baton.events.RequestOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerdictTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static ClusterEvent answer(EventType type, RequestOutcome outcome, String message) {
    return new ClusterEvent("demo", Instant.parse("2026-11-22T03:00:00Z"), 2, type, Optional.of("n2"),
        message, Optional.of("r1"), Optional.of(outcome), Optional.empty());
  }

  private static final ClusterEvent STARTED =
      answer(EventType.SWITCHOVER_STARTED, RequestOutcome.ACCEPTED, "switchover from n1 to n2 requested");

  @Test
  void completedIsZero() {
    Verdict verdict = Verdict.of(new Answer(true, List.of(STARTED,
        answer(EventType.SWITCHOVER_COMPLETED, RequestOutcome.COMPLETED, "switchover from n1 to n2 completed in 0.8 s"))),
        "demo", TIMEOUT);

    assertEquals(new Verdict(ExitCode.OK, "completed: switchover from n1 to n2 completed in 0.8 s"), verdict);
    assertEquals(0, verdict.exitCode().code());
  }

  @Test
  void refusedIsOneWithTheReason() {
    Verdict verdict = Verdict.of(new Answer(true, List.of(
        answer(EventType.SWITCHOVER_REFUSED, RequestOutcome.REFUSED, "switchover refused: the cluster is in maintenance mode"))),
        "demo", TIMEOUT);

    assertEquals(new Verdict(ExitCode.FAILED, "refused: switchover refused: the cluster is in maintenance mode"), verdict);
    assertEquals(1, verdict.exitCode().code());
  }

  @Test
  void failedIsOneWithWhatHappened() {
    Verdict verdict = Verdict.of(new Answer(true, List.of(STARTED,
        answer(EventType.SWITCHOVER_ABORTED, RequestOutcome.FAILED, "aborted: n2 lost; n1 stays primary"))),
        "demo", TIMEOUT);

    assertEquals(new Verdict(ExitCode.FAILED, "failed: aborted: n2 lost; n1 stays primary"), verdict);
  }

  @Test
  void noFinalAnswerIsThreeAndSaysTheRequestMayStillHappen() {
    Verdict progress = Verdict.of(new Answer(false, List.of(STARTED)), "demo", TIMEOUT);
    Verdict silence = Verdict.of(new Answer(false, List.of()), "demo", TIMEOUT);

    assertEquals(ExitCode.TIMEOUT, progress.exitCode());
    assertEquals(3, progress.exitCode().code());
    assertEquals("no final answer within 30.0s; last: switchover from n1 to n2 requested. The request"
        + " stays on the requests topic and may still be acted on; watch with: baton events demo --follow",
        progress.summary());
    assertEquals("no final answer within 30.0s and no answer at all: is the coordinator running? The"
        + " request stays on the requests topic and may still be acted on; watch with: baton events demo"
        + " --follow", silence.summary());
  }

  @Test
  void theReasonIsShownOnOneLine() {
    Verdict verdict = Verdict.of(new Answer(true, List.of(answer(EventType.SWITCHOVER_REFUSED,
        RequestOutcome.REFUSED, "refused\ncompleted: switchover done"))), "demo", TIMEOUT);

    assertEquals("refused: refused\\ncompleted: switchover done", verdict.summary());
  }
}
