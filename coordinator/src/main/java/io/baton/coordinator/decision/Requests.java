package io.baton.coordinator.decision;

import io.baton.coordinator.cluster.HandledRequest;
import io.baton.coordinator.cluster.Phase;
import io.baton.coordinator.cluster.Settings;
import io.baton.events.Amounts;
import io.baton.events.EventType;
import io.baton.events.OperatorRequest;
import io.baton.events.Reason;
import io.baton.events.RequestOutcome;
import io.baton.events.RequestedAction;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Requests that are answered outside the transition table: repeats, settings, and whatever the
 * table could not act on.
 */
final class Requests {
  private Requests() {}

  /**
   * Refuses a request decided long after it was appended: its sender has given up waiting, and
   * acting on it now would surprise them. Measured in broker time, from the record's append to
   * the partition's clock, so no sender's clock can stretch it. The sender's signed {@code
   * requestedAt} only serves to refuse a request appended far from when it was signed: a
   * recorded request appended again, or a sender whose clock is far off.
   */
  static void refuseIfExpired(Change c, OperatorRequest request, Instant appendedAt) {
    if (c.state().handled(request.requestId()).isPresent()) {
      return; // a repeat gets its first answer again
    }
    Duration ttl = c.policy().requestTimeToLive();
    Duration age = Duration.between(appendedAt, c.now());
    Duration skew = Duration.between(request.requestedAt(), appendedAt).abs();
    String why;
    if (age.compareTo(ttl) > 0) {
      why = "the request expired (appended " + Amounts.seconds(age) + " before the coordinator"
          + " could decide on it; request-time-to-live " + Amounts.seconds(ttl) + ")";
    } else if (skew.compareTo(ttl) > 0) {
      why = "the request was signed at " + request.requestedAt() + " but appended at "
          + appendedAt + ", " + Amounts.seconds(skew) + " apart, more than request-time-to-live "
          + Amounts.seconds(ttl) + ": a recorded request sent again, or the sender's clock is off";
    } else {
      return;
    }
    refuse(c, request, Reason.EXPIRED, why);
  }

  /** Answers the request if it is a repeat or a settings change; the table handles the rest. */
  static void answerDirectly(Change c, OperatorRequest request) {
    if (c.pendingRequest().isEmpty()) {
      return;
    }
    Optional<HandledRequest> handled = c.state().handled(request.requestId());
    if (handled.isPresent()) {
      c.repeat(handled.get());
      return;
    }
    if (operationRequestId(c.state().phase()).filter(request.requestId()::equals).isPresent()) {
      c.answer(
          request.requestId(), EventType.SWITCHOVER_PROGRESS, Optional.empty(),
          "already in progress: " + describe(c.state().phase()), RequestOutcome.ACCEPTED);
      return;
    }
    Settings settings = c.state().settings();
    if (request.action() instanceof RequestedAction.SetReplicationMode mode) {
      c.replace(c.state().withSettings(settings.withReplicationMode(mode.mode())));
      c.answer(
          request.requestId(), EventType.REPLICATION_MODE_CHANGED, Optional.empty(),
          "replication mode " + settings.replicationMode().wire() + " -> " + mode.mode().wire()
              + " (requested by " + request.requestedBy() + ")",
          RequestOutcome.COMPLETED);
    } else if (request.action() instanceof RequestedAction.SetMaintenance maintenance) {
      c.replace(c.state().withSettings(settings.withMaintenance(maintenance.enabled())));
      c.answer(
          request.requestId(), EventType.MAINTENANCE_CHANGED, Optional.empty(),
          maintenance.enabled()
              ? "maintenance mode on (requested by " + request.requestedBy()
                  + "): no automatic failover and no switchover until it is turned off"
              : "maintenance mode off (requested by " + request.requestedBy() + ")",
          RequestOutcome.COMPLETED);
    }
  }

  /** Refuses a request no transition took. */
  static void refuseLeftover(Change c, OperatorRequest request) {
    Phase phase = c.state().phase();
    if (phase instanceof Phase.AwaitingPrimary) {
      refuse(c, request, Reason.NO_PRIMARY, "the cluster has no primary yet");
    } else if (phase instanceof Phase.Stable && request.action() instanceof RequestedAction.Failover) {
      refuse(c, request, Reason.PRIMARY_HEALTHY, c.state().masterNode().orElse("the primary")
          + " is the primary and healthy: use a switchover for a planned change");
    } else {
      refuse(c, request, Reason.BUSY, "another operation is in progress: " + describe(phase));
    }
  }

  private static void refuse(Change c, OperatorRequest request, Reason reason, String why) {
    c.refuse(
        request.requestId(),
        request.action() instanceof RequestedAction.Switchover
            ? EventType.SWITCHOVER_REFUSED
            : EventType.REQUEST_REFUSED,
        Optional.empty(), reason, request.action().type() + " refused: " + why);
  }

  private static Optional<String> operationRequestId(Phase phase) {
    if (phase instanceof Phase.Switchover switchover) {
      return Optional.of(switchover.requestId());
    }
    if (phase instanceof Phase.PrimaryLost lost) {
      return lost.requestId();
    }
    if (phase instanceof Phase.Promoting promoting) {
      if (promoting.origin() instanceof Phase.Origin.Switchover switchover) {
        return Optional.of(switchover.requestId());
      }
      if (promoting.origin() instanceof Phase.Origin.Failover failover) {
        return failover.requestId();
      }
    }
    return Optional.empty();
  }

  static String describe(Phase phase) {
    if (phase instanceof Phase.Switchover s) {
      return "switchover from " + s.from() + " to " + s.target() + " ("
          + s.step().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
    if (phase instanceof Phase.Promoting p) {
      return "promotion of " + p.candidate();
    }
    if (phase instanceof Phase.PrimaryLost l) {
      return "failover from the lost primary " + l.node();
    }
    return phase.kind().wire();
  }
}
