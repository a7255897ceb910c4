package io.baton.cli.request;

import io.baton.cli.ExitCode;
import io.baton.client.operator.RequestClient;
import io.baton.cli.text.Durations;
import io.baton.events.ClusterEvent;
import io.baton.events.Printable;
import io.baton.events.RequestOutcome;
import java.time.Duration;
import java.util.Optional;

/** What the answer to a request means for the operator: an exit status and one sentence. */
public record Verdict(ExitCode exitCode, String summary) {

  public static Verdict of(RequestClient.Answer answer, String cluster, Duration timeout) {
    Optional<ClusterEvent> last = answer.last();
    if (!answer.finished()) {
      String waited = "no final answer within " + Durations.format(timeout);
      String what = last
          .map(e -> waited + "; last: " + Printable.escape(e.message()) + ".")
          .orElse(waited + " and no answer at all: is the coordinator running?");
      return new Verdict(ExitCode.TIMEOUT, what + " The request stays on the requests topic and"
          + " may still be acted on; watch with: baton events " + cluster + " --follow");
    }
    ClusterEvent event = last.orElseThrow();
    RequestOutcome outcome = event.outcome().orElseThrow();
    String message = Printable.escape(event.message());
    return switch (outcome) {
      case COMPLETED -> new Verdict(ExitCode.OK, "completed: " + message);
      case REFUSED -> new Verdict(ExitCode.FAILED, "refused: " + message);
      case FAILED -> new Verdict(ExitCode.FAILED, "failed: " + message);
      case ACCEPTED -> throw new IllegalStateException("a finished answer cannot be 'accepted'");
    };
  }
}
