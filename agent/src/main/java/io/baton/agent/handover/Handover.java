package io.baton.agent.handover;

import io.baton.agent.supervisor.Supervisor;
import io.baton.client.operator.RequestClient;
import io.baton.events.ClusterEvent;
import io.baton.events.Printable;
import io.baton.events.RequestOutcome;
import io.baton.events.RequestedAction;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes preStop, done right (seed 000): on a standby, mark the node leaving and return at
 * once; on the primary, ask for a switchover away from this node and wait until the new master is
 * published. Always returns before the deadline, with a clear result.
 */
public final class Handover {
  private static final Logger LOG = LoggerFactory.getLogger(Handover.class);
  private static final Duration RETRY = Duration.ofMillis(250);

  /** The outcome, with the exit status the handover command uses. */
  public record Result(boolean ok, String message, int exitStatus) {
    static Result done(String message) {
      return new Result(true, message, 0);
    }

    static Result failed(String message) {
      return new Result(false, message, 1);
    }

    static Result timedOut(String message) {
      return new Result(false, message, 3);
    }
  }

  private final String cluster;
  private final String node;
  private final Supervisor supervisor;
  private final RequestClient requests;

  public Handover(String cluster, String node, Supervisor supervisor, RequestClient requests) {
    this.cluster = cluster;
    this.node = node;
    this.supervisor = supervisor;
    this.requests = requests;
  }

  public Result run(Duration deadline) {
    Instant end = Instant.now().plus(deadline);
    supervisor.markLeaving();
    if (!supervisor.assignedPrimary()) {
      return Result.done(node + " is a standby: marked leaving, it will not be promoted");
    }
    LOG.info("cluster={} node={} handover: requesting a switchover away from {}", cluster, node, node);
    while (Instant.now().isBefore(end)) {
      RequestClient.Answer answer =
          requests.submit(
              cluster, new RequestedAction.Switchover(Optional.of(node), Optional.empty()),
              Duration.between(Instant.now(), end),
              event -> LOG.info("cluster={} node={} handover: {}", cluster, node,
                  Printable.escape(event.message())));
      Optional<ClusterEvent> last = answer.last();
      if (!answer.finished()) {
        return Result.timedOut(
            "no new master within " + deadline.toSeconds() + " s"
                + last.map(e -> "; last step: " + e.message()).orElse(""));
      }
      RequestOutcome outcome = last.flatMap(ClusterEvent::outcome).orElse(RequestOutcome.FAILED);
      String message = last.map(ClusterEvent::message).orElse("no answer");
      if (outcome == RequestOutcome.COMPLETED) {
        return Result.done(message);
      }
      if (outcome == RequestOutcome.REFUSED && message.contains("another operation is in progress")) {
        // One operation at a time per cluster: a neighbour's drain is still finishing. Ask again.
        sleep(RETRY);
        continue;
      }
      return Result.failed(message);
    }
    return Result.timedOut("no new master within " + deadline.toSeconds() + " s");
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
