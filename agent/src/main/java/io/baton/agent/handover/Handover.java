package io.baton.agent.handover;

import io.baton.agent.supervisor.Supervisor;
import io.baton.client.kafka.KafkaConnection;
import io.baton.client.operator.EventAnswers;
import io.baton.client.operator.RequestClient;
import io.baton.events.ClusterEvent;
import io.baton.events.Printable;
import io.baton.events.RequestOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes preStop, done right (seed 000): on a standby, mark the node leaving and return at
 * once; on the primary, ask in this node's own signed heartbeats for its role to be handed over,
 * and wait until the coordinator answers that the new master is published. The coordinator
 * decides it as a switchover away from this node, waiting while another operation finishes. The
 * agent writes no request: its Kafka principal may write heartbeats only. Always returns before
 * the deadline, with a clear result.
 */
public final class Handover {
  private static final Logger LOG = LoggerFactory.getLogger(Handover.class);

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
  private final KafkaConnection kafka;
  private final Duration leavingExpiresAfter;

  public Handover(String cluster, String node, Supervisor supervisor, KafkaConnection kafka,
      Duration leavingExpiresAfter) {
    this.cluster = cluster;
    this.node = node;
    this.supervisor = supervisor;
    this.kafka = kafka;
    this.leavingExpiresAfter = leavingExpiresAfter;
  }

  public Result run(Duration deadline) {
    Instant end = Instant.now().plus(deadline);
    if (!supervisor.assignedPrimary()) {
      supervisor.markLeaving(leavingExpiresAfter);
      return Result.done(node + " is a standby: marked leaving, it will not be promoted");
    }
    String requestId = UUID.randomUUID().toString();
    try (EventAnswers answers = EventAnswers.openAtEnd(kafka, cluster)) {
      supervisor.askHandover(requestId, leavingExpiresAfter);
      RequestClient.Answer answer =
          answers.await(requestId, end, event -> LOG.info("cluster={} node={} handover: {}",
              cluster, node, Printable.escape(event.message())));
      Optional<ClusterEvent> last = answer.last();
      if (!answer.finished()) {
        return Result.timedOut(
            "no new master within " + deadline.toSeconds() + " s"
                + last.map(e -> "; last step: " + e.message()).orElse(""));
      }
      RequestOutcome outcome = last.flatMap(ClusterEvent::outcome).orElse(RequestOutcome.FAILED);
      String message = last.map(ClusterEvent::message).orElse("no answer");
      return outcome == RequestOutcome.COMPLETED ? Result.done(message) : Result.failed(message);
    } catch (RuntimeException e) {
      LOG.warn("cluster={} node={} handover: cannot follow the coordinator's answer: {}", cluster,
          node, e.toString());
      return Result.failed("cannot follow the coordinator's answer: " + e.getMessage());
    }
  }
}
