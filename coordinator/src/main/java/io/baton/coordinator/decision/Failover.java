package io.baton.coordinator.decision;

import io.baton.coordinator.candidate.CandidateChooser;
import io.baton.coordinator.candidate.CandidateChooser.Choice;
import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.Phase;
import io.baton.coordinator.replication.SyncPlanner;
import io.baton.events.Amounts;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.Lsn;
import io.baton.events.OperatorRequest;
import io.baton.events.Reason;
import io.baton.events.RequestOutcome;
import io.baton.events.RequestedAction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Losing the primary, and promoting a standby in its place. */
final class Failover {
  private Failover() {}

  static void leaseExpired(Facts f, Change c) {
    NodeView master = f.requireMaster();
    loseMaster(
        c, master,
        "no heartbeat for " + Amounts.seconds(master.silentFor(f.now())) + " of broker time"
            + " (failover-after " + Amounts.seconds(f.policy().failoverAfterFor(master))
            + "): its lease lapsed, so it has fenced itself");
  }

  static void relinquished(Facts f, Change c) {
    NodeView master = f.requireMaster();
    loseMaster(
        c, master,
        "its agent gave up the primary role: " + master.agent().detail()
            + master.postgres().error().map(e -> " (" + e + ")").orElse(""));
  }

  static void loseMaster(Change c, NodeView master, String reason) {
    lose(c, master, reason, master.lastKnownWal(), master.lastSeen());
  }

  /**
   * @param floor every acknowledged write lies at or below this position
   * @param heardUntil the last sign of life of the writers lost
   */
  static void lose(Change c, NodeView lost, String reason, Lsn floor, Instant heardUntil) {
    c.phase(
        new Phase.PrimaryLost(
            lost.name(), c.now(), reason, Optional.empty(), false, Optional.empty(),
            Optional.empty(), floor, heardUntil));
    c.emit(EventType.PRIMARY_LOST, lost.name(), "primary " + lost.name() + " lost: " + reason);
  }

  /** The primary's PostgreSQL has not served for failover-after while a standby could take over. */
  static boolean primaryUnhealthyTooLong(Facts f) {
    NodeView master = f.requireMaster();
    if (f.state().settings().maintenance()
        || master.unhealthySince().isEmpty()
        || master.goal().filter(Goal.Stopped.class::isInstance).isPresent()) {
      return false;
    }
    Duration unhealthy = Duration.between(master.unhealthySince().get(), f.now());
    if (unhealthy.compareTo(f.policy().failoverAfter()) < 0) {
      return false;
    }
    // Waiting only means a node has not reported since the primary's last heartbeat, which is
    // always so while the primary keeps heartbeating.
    Phase.PrimaryLost asIfLost =
        new Phase.PrimaryLost(
            master.name(), f.now(), "", Optional.empty(), false, Optional.empty(),
            Optional.empty(), master.lastKnownWal(), master.lastSeen());
    return !(CandidateChooser.forFailover(f.state(), asIfLost, f.now(), f.policy())
        instanceof Choice.Blocked);
  }

  static void stopUnhealthyPrimary(Facts f, Change c) {
    NodeView master = f.requireMaster();
    String reason =
        "PostgreSQL on the primary " + master.name() + " has not served for "
            + Amounts.seconds(Duration.between(master.unhealthySince().get(), f.now())) + " ("
            + master.postgres().health().wire()
            + master.postgres().error().map(e -> ": " + e).orElse("")
            + "): stop it, so that a standby can be promoted";
    c.assign(master.name(), new Goal.Stopped(), reason);
    c.emit(EventType.NODE_UNHEALTHY, master.name(), reason);
  }

  static boolean failoverRequested(Facts f) {
    return f.request(RequestedAction.Failover.class).isPresent();
  }

  static void requested(Facts f, Change c) {
    OperatorRequest request = f.request(RequestedAction.Failover.class).orElseThrow();
    RequestedAction.Failover failover = (RequestedAction.Failover) request.action();
    Phase.PrimaryLost lost = f.phase(Phase.PrimaryLost.class);
    c.phase(lost.requested(failover.to(), failover.force(), Optional.of(request.requestId())));
    c.answer(
        request.requestId(), EventType.FAILOVER_REQUESTED, Optional.of(lost.node()),
        "failover from " + lost.node() + " requested by " + request.requestedBy()
            + failover.to().map(to -> " to " + to).orElse("")
            + (failover.force() ? " with --force (the lag limit and synchronous mode are ignored)" : ""),
        RequestOutcome.ACCEPTED);
  }

  static boolean candidateChosen(Facts f) {
    Phase.PrimaryLost lost = f.phase(Phase.PrimaryLost.class);
    boolean automaticAllowed = !f.state().settings().maintenance() || lost.requestId().isPresent();
    return automaticAllowed && f.failoverChoice() instanceof Choice.Chosen;
  }

  static void promoteCandidate(Facts f, Change c) {
    Phase.PrimaryLost lost = f.phase(Phase.PrimaryLost.class);
    Choice.Chosen chosen = (Choice.Chosen) f.failoverChoice();
    String candidate = chosen.node().name();
    Promotion.promote(
        c, candidate, SyncPlanner.forNewPrimary(f.state(), candidate, f.now(), f.policy()),
        List.of(), Optional.empty(),
        "promote: the primary " + lost.node() + " was lost (" + lost.reason() + ")",
        new Phase.Origin.Failover(lost.node(), lost.reason(), lost.requestId()),
        lost.floor(), lost.heardUntil());
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
  }

  /**
   * No standby can be promoted and the lost primary is back holding every acknowledged write
   * (a switchover target that gave up without the drained WAL does not).
   */
  static boolean lostPrimaryBackWithEveryWrite(Facts f) {
    Phase.PrimaryLost lost = f.phase(Phase.PrimaryLost.class);
    NodeView node = f.node(lost.node());
    return !f.isLost(node)
        && !node.lastKnownWal().isBefore(lost.floor())
        && f.failoverChoice() instanceof Choice.Blocked;
  }

  static void reinstateReturnedPrimary(Facts f, Change c) {
    Phase.PrimaryLost lost = f.phase(Phase.PrimaryLost.class);
    NodeView node = f.node(lost.node());
    String blocked = ((Choice.Blocked) f.failoverChoice()).reason();
    String reason = "reinstated after it returned: " + lost.reason();
    Promotion.promote(
        c, node.name(), SyncPlanner.forNewPrimary(f.state(), node.name(), f.now(), f.policy()),
        List.of(), Optional.empty(), "reinstated: no standby was promoted while you were lost",
        new Phase.Origin.Reinstatement(reason, lost.requestId()), lost.floor(), lost.heardUntil());
    c.emit(
        EventType.PRIMARY_REINSTATED, node.name(),
        node.name() + " is back and " + blocked + "; it becomes primary again at epoch "
            + c.state().epoch() + " (it had been lost: " + lost.reason() + ")");
  }

  /** Why no standby can be promoted now, when that is news worth an event. */
  static Optional<String> blockedAnew(Facts f) {
    Phase.PrimaryLost lost = f.phase(Phase.PrimaryLost.class);
    String why;
    if (f.state().settings().maintenance() && lost.requestId().isEmpty()) {
      why = "the cluster is in maintenance mode: no automatic failover";
    } else {
      Choice choice = f.failoverChoice();
      if (choice instanceof Choice.Chosen
          || (choice instanceof Choice.Waiting && lost.requestId().isEmpty())) {
        return Optional.empty();
      }
      why = choice instanceof Choice.Blocked blocked
          ? blocked.reason()
          : ((Choice.Waiting) choice).reason();
    }
    if (lost.requestId().isEmpty() && lost.blockedReason().filter(why::equals).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(why);
  }

  static void reportBlocked(Facts f, Change c) {
    Phase.PrimaryLost lost = f.phase(Phase.PrimaryLost.class);
    String why = blockedAnew(f).orElseThrow();
    if (lost.requestId().isPresent()) {
      c.phase(lost.refused(why));
      c.refuse(
          lost.requestId().get(), EventType.FAILOVER_BLOCKED, Optional.of(lost.node()),
          Reason.NO_CANDIDATE, "failover refused: " + why);
      return;
    }
    c.phase(lost.blocked(why));
    c.emit(EventType.FAILOVER_BLOCKED, lost.node(), "not failing over from " + lost.node() + ": " + why);
  }
}
