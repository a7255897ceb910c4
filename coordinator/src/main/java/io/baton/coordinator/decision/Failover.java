package io.baton.coordinator.decision;

import io.baton.coordinator.candidate.CandidateChooser;
import io.baton.coordinator.candidate.CandidateChooser.Choice;
import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.Phase;
import io.baton.coordinator.cluster.SyncState;
import io.baton.coordinator.cluster.Words;
import io.baton.coordinator.replication.SyncPlanner;
import io.baton.events.Assignment;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.OperatorRequest;
import io.baton.events.RequestOutcome;
import io.baton.events.RequestedAction;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Losing the primary, and promoting a standby in its place. */
final class Failover {
  private Failover() {}

  static boolean leaseExpired(Change c) {
    NodeView master = c.master().orElseThrow();
    if (!c.policy().isLost(master, c.now())) {
      return false;
    }
    lose(
        c, master,
        "no heartbeat for " + Words.seconds(master.silentFor(c.now())) + " of broker time"
            + " (failover-after " + Words.seconds(c.policy().failoverAfterFor(master))
            + "): its lease lapsed, so it has fenced itself");
    return true;
  }

  static boolean relinquished(Change c) {
    NodeView master = c.master().orElseThrow();
    if (!master.relinquishedPrimary()) {
      return false;
    }
    lose(
        c, master,
        "its agent gave up the primary role: " + master.agent().detail()
            + master.postgres().error().map(e -> " (" + e + ")").orElse(""));
    return true;
  }

  static void lose(Change c, NodeView master, String reason) {
    c.phase(
        new Phase.PrimaryLost(
            master.name(), c.now(), reason, Optional.empty(), false, Optional.empty(),
            Optional.empty()));
    c.emit(EventType.PRIMARY_LOST, master.name(), "primary " + master.name() + " lost: " + reason);
  }

  static boolean stopUnhealthyPrimary(Change c) {
    NodeView master = c.master().orElseThrow();
    if (c.state().settings().maintenance()
        || master.unhealthySince().isEmpty()
        || master.goal().filter(Goal.Stopped.class::isInstance).isPresent()) {
      return false;
    }
    Duration unhealthy = Duration.between(master.unhealthySince().get(), c.now());
    Choice choice =
        CandidateChooser.forFailover(
            c.state(), master.name(), c.now(), c.policy(), Optional.empty(), false);
    // Waiting only means no standby has reported since the primary's last heartbeat, which is
    // always so while the primary keeps heartbeating.
    if (unhealthy.compareTo(c.policy().failoverAfter()) < 0 || choice instanceof Choice.Blocked) {
      return false;
    }
    String reason =
        "PostgreSQL on the primary " + master.name() + " has not served for "
            + Words.seconds(unhealthy) + " (" + master.postgres().health().wire()
            + master.postgres().error().map(e -> ": " + e).orElse("")
            + "): stop it, so that a standby can be promoted";
    c.assign(master.name(), new Goal.Stopped(), reason);
    c.emit(EventType.NODE_UNHEALTHY, master.name(), reason);
    return true;
  }

  static boolean requested(Change c) {
    Optional<OperatorRequest> request =
        c.pendingRequest().filter(r -> r.action() instanceof RequestedAction.Failover);
    if (request.isEmpty()) {
      return false;
    }
    RequestedAction.Failover failover = (RequestedAction.Failover) request.get().action();
    Phase.PrimaryLost lost = (Phase.PrimaryLost) c.state().phase();
    c.phase(
        new Phase.PrimaryLost(
            lost.node(), lost.since(), lost.reason(), failover.to(), failover.force(),
            Optional.of(request.get().requestId()), Optional.empty()));
    c.answer(
        request.get().requestId(), EventType.FAILOVER_REQUESTED, Optional.of(lost.node()),
        "failover from " + lost.node() + " requested by " + request.get().requestedBy()
            + failover.to().map(to -> " to " + to).orElse("")
            + (failover.force() ? " with --force (the lag limit and synchronous mode are ignored)" : ""),
        RequestOutcome.ACCEPTED);
    return true;
  }

  static boolean promoteCandidate(Change c) {
    Phase.PrimaryLost lost = (Phase.PrimaryLost) c.state().phase();
    if (c.state().settings().maintenance() && lost.requestId().isEmpty()) {
      return false;
    }
    Choice choice =
        CandidateChooser.forFailover(
            c.state(), lost.node(), c.now(), c.policy(), lost.requestedCandidate(), lost.force());
    if (!(choice instanceof Choice.Chosen chosen)) {
      return false;
    }
    String candidate = chosen.node().name();
    c.newEpoch();
    List<String> synchronous = SyncPlanner.forNewPrimary(c.state(), candidate, c.now(), c.policy());
    Assignment promotion =
        c.assign(
            candidate, SyncPlanner.goal(synchronous, Optional.empty()),
            "promote: the primary " + lost.node() + " was lost (" + lost.reason() + ")");
    c.replace(c.state().withSync(SyncState.fresh(synchronous)));
    c.follow(
        lost.node(), chosen.node(),
        candidate + " was promoted while you were lost: rejoin as its standby");
    String message = "promoting " + candidate + ": " + chosen.explanation();
    if (lost.requestId().isPresent()) {
      c.answer(
          lost.requestId().get(), EventType.CANDIDATE_CHOSEN, Optional.of(candidate), message,
          RequestOutcome.ACCEPTED);
    } else {
      c.emit(EventType.CANDIDATE_CHOSEN, candidate, message);
    }
    c.phase(
        new Phase.Promoting(
            candidate, promotion.generation(), c.now(),
            new Phase.Origin.Failover(lost.node(), lost.reason(), lost.requestId())));
    return true;
  }

  static boolean reinstateReturnedPrimary(Change c) {
    Phase.PrimaryLost lost = (Phase.PrimaryLost) c.state().phase();
    NodeView node = c.node(lost.node());
    Choice choice =
        CandidateChooser.forFailover(
            c.state(), lost.node(), c.now(), c.policy(), lost.requestedCandidate(), lost.force());
    if (c.policy().isLost(node, c.now()) || !(choice instanceof Choice.Blocked blocked)) {
      return false;
    }
    c.newEpoch();
    List<String> synchronous = SyncPlanner.forNewPrimary(c.state(), node.name(), c.now(), c.policy());
    Assignment reinstated =
        c.assign(
            node.name(), SyncPlanner.goal(synchronous, Optional.empty()),
            "reinstated: no standby was promoted while you were lost");
    c.replace(c.state().withSync(SyncState.fresh(synchronous)));
    c.emit(
        EventType.PRIMARY_REINSTATED, node.name(),
        node.name() + " is back and " + blocked.reason() + "; it becomes primary again at epoch "
            + c.state().epoch() + " (it had been lost: " + lost.reason() + ")");
    c.phase(
        new Phase.Promoting(
            node.name(), reinstated.generation(), c.now(),
            new Phase.Origin.Reinstatement(
                "reinstated after it returned: " + lost.reason(), lost.requestId())));
    return true;
  }

  static boolean reportBlocked(Change c) {
    Phase.PrimaryLost lost = (Phase.PrimaryLost) c.state().phase();
    String why;
    if (c.state().settings().maintenance() && lost.requestId().isEmpty()) {
      why = "the cluster is in maintenance mode: no automatic failover";
    } else {
      Choice choice =
          CandidateChooser.forFailover(
              c.state(), lost.node(), c.now(), c.policy(), lost.requestedCandidate(), lost.force());
      if (choice instanceof Choice.Waiting && lost.requestId().isEmpty()) {
        return false;
      }
      if (choice instanceof Choice.Chosen) {
        return false;
      }
      why =
          choice instanceof Choice.Blocked blocked
              ? blocked.reason()
              : ((Choice.Waiting) choice).reason();
    }
    if (lost.requestId().isPresent()) {
      c.phase(
          new Phase.PrimaryLost(
              lost.node(), lost.since(), lost.reason(), Optional.empty(), false, Optional.empty(),
              Optional.of(why)));
      c.answer(
          lost.requestId().get(), EventType.FAILOVER_BLOCKED, Optional.of(lost.node()),
          "failover refused: " + why, RequestOutcome.REFUSED);
      return true;
    }
    if (lost.blockedReason().filter(why::equals).isPresent()) {
      return false;
    }
    c.phase(lost.blocked(why));
    c.emit(EventType.FAILOVER_BLOCKED, lost.node(), "not failing over from " + lost.node() + ": " + why);
    return true;
  }
}
