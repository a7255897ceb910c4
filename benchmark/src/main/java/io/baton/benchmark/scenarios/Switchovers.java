package io.baton.benchmark.scenarios;

import io.baton.lab.ClusterChecks;
import io.baton.client.operator.RequestClient;
import io.baton.events.ClusterEvent;
import io.baton.events.RequestOutcome;
import io.baton.events.RequestedAction;
import io.baton.lab.Lab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A switchover requested as the CLI requests it, and how long until it was answered. */
final class Switchovers {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /** Retrying a refused request this long covers a few of the agents' 1 s heartbeats. */
  private static final Duration REFUSALS_FOR = Duration.ofSeconds(10);
  private static final Duration RETRY_AFTER = Duration.ofMillis(500);

  private Switchovers() {}

  /**
   * The request that completed: when it was sent and answered (monotonic stamps), and the
   * refusals before it.
   */
  record Handover(long requestedNanos, long answeredNanos, List<String> refusals) {
    Duration duration() {
      return Duration.ofNanos(answeredNanos - requestedNanos);
    }
  }

  /**
   * Asks for a switchover to {@code target} and waits for the coordinator's final answer. A
   * refusal is asked again a little later, as an operator would: the database can show every
   * standby streaming a heartbeat before the coordinator has heard so from their agents.
   *
   * @throws IllegalStateException when it is not answered completed in time
   */
  static Handover to(Lab lab, RequestClient requests, String target) {
    long refusalsUntil = System.nanoTime() + REFUSALS_FOR.toNanos();
    List<String> refusals = new ArrayList<>();
    while (true) {
      long requested = System.nanoTime();
      RequestClient.Answer answer = requests.submit(lab.cluster(),
          new RequestedAction.Switchover(Optional.empty(), Optional.of(target)), REQUEST_TIMEOUT,
          event -> {});
      long answered = System.nanoTime();
      Optional<RequestOutcome> outcome =
          answer.finished() ? answer.last().flatMap(ClusterEvent::outcome) : Optional.empty();
      if (outcome.equals(Optional.of(RequestOutcome.COMPLETED))) {
        return new Handover(requested, answered, refusals);
      }
      String why = answer.last().map(ClusterEvent::message)
          .orElse("no answer within " + REQUEST_TIMEOUT);
      if (!outcome.equals(Optional.of(RequestOutcome.REFUSED)) || answered - refusalsUntil > 0) {
        throw new IllegalStateException("the switchover to " + target + " was not completed: "
            + why + (refusals.isEmpty() ? "" : " (refused before: " + refusals + ")"));
      }
      refusals.add(why);
      ClusterChecks.sleep(RETRY_AFTER);
    }
  }
}
