package io.baton.coordinator.decision;

import io.baton.coordinator.candidate.CandidateChooser;
import io.baton.coordinator.candidate.CandidateChooser.Choice;
import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.Phase;
import io.baton.coordinator.cluster.Phase.SwitchoverStep;
import io.baton.coordinator.cluster.SyncState;
import io.baton.coordinator.cluster.Words;
import io.baton.coordinator.replication.SyncPlanner;
import io.baton.events.Assignment;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.Health;
import io.baton.events.Lsn;
import io.baton.events.OperatorRequest;
import io.baton.events.RequestOutcome;
import io.baton.events.RequestedAction;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The planned switchover: make the target synchronous, drain the primary (no new writes,
 * sessions ended, shutdown checkpoint, every standby has it), then promote the target once it
 * has received the old primary's last WAL position. Nothing is promoted before the old primary
 * stopped writing, so there is no window with two writable nodes and no acknowledged write lost.
 */
final class Switchovers {
  private Switchovers() {}

  /** What to do with a switchover request in a stable cluster. */
  private sealed interface Verdict {
    record Start(NodeView target, String explanation) implements Verdict {}

    record Answer(EventType type, RequestOutcome outcome, String message) implements Verdict {}
  }

  private static Optional<OperatorRequest> request(Change c) {
    return c.pendingRequest().filter(r -> r.action() instanceof RequestedAction.Switchover);
  }

  private static Verdict verdict(Change c, OperatorRequest request) {
    RequestedAction.Switchover switchover = (RequestedAction.Switchover) request.action();
    String master = c.state().masterNode().orElseThrow();
    if (switchover.from().filter(from -> !from.equals(master)).isPresent()) {
      return new Verdict.Answer(
          EventType.SWITCHOVER_COMPLETED, RequestOutcome.COMPLETED,
          switchover.from().get() + " is not the primary (" + master + " is): nothing to do");
    }
    if (switchover.to().filter(master::equals).isPresent()) {
      return new Verdict.Answer(
          EventType.SWITCHOVER_COMPLETED, RequestOutcome.COMPLETED,
          master + " is already the primary: nothing to do");
    }
    if (c.state().settings().maintenance()) {
      return new Verdict.Answer(
          EventType.SWITCHOVER_REFUSED, RequestOutcome.REFUSED,
          "switchover refused: the cluster is in maintenance mode");
    }
    Choice choice = CandidateChooser.forSwitchover(c.state(), c.now(), c.policy(), switchover.to());
    if (choice instanceof Choice.Blocked blocked) {
      return new Verdict.Answer(
          EventType.SWITCHOVER_REFUSED, RequestOutcome.REFUSED,
          "switchover refused: " + blocked.reason());
    }
    Choice.Chosen chosen = (Choice.Chosen) choice;
    return new Verdict.Start(chosen.node(), chosen.explanation());
  }

  static boolean refuse(Change c) {
    Optional<OperatorRequest> request = request(c);
    if (request.isEmpty() || !(verdict(c, request.get()) instanceof Verdict.Answer answer)) {
      return false;
    }
    c.answer(
        request.get().requestId(), answer.type(), c.state().masterNode(), answer.message(),
        answer.outcome());
    return true;
  }

  static boolean startWithSync(Change c) {
    Optional<Verdict.Start> start = start(c);
    if (start.isEmpty() || isPromotable(c, start.get().target())) {
      return false;
    }
    OperatorRequest request = request(c).orElseThrow();
    NodeView master = c.master().orElseThrow();
    String target = start.get().target().name();
    List<String> synchronous = List.of(target);
    c.assign(
        master.name(), SyncPlanner.goal(synchronous, Optional.empty()),
        "switchover to " + target + ": make it synchronous first");
    c.replace(c.state().withSync(c.state().sync().reconfigured(synchronous, Optional.empty())));
    c.phase(
        new Phase.Switchover(
            request.requestId(), master.name(), target, SwitchoverStep.SYNCING, c.now(), c.now(),
            Optional.empty()));
    c.answer(
        request.requestId(), EventType.SWITCHOVER_STARTED, Optional.of(target),
        "switchover from " + master.name() + " to " + target + " requested by "
            + request.requestedBy() + " (" + start.get().explanation() + "): making " + target
            + " synchronous",
        RequestOutcome.ACCEPTED);
    return true;
  }

  static boolean startDraining(Change c) {
    Optional<Verdict.Start> start = start(c);
    if (start.isEmpty() || !isPromotable(c, start.get().target())) {
      return false;
    }
    OperatorRequest request = request(c).orElseThrow();
    NodeView master = c.master().orElseThrow();
    String target = start.get().target().name();
    drain(c, master);
    c.phase(
        new Phase.Switchover(
            request.requestId(), master.name(), target, SwitchoverStep.DRAINING, c.now(), c.now(),
            Optional.empty()));
    c.answer(
        request.requestId(), EventType.SWITCHOVER_STARTED, Optional.of(target),
        "switchover from " + master.name() + " to " + target + " requested by "
            + request.requestedBy() + ": " + target + " is already synchronous; draining "
            + master.name(),
        RequestOutcome.ACCEPTED);
    return true;
  }

  private static Optional<Verdict.Start> start(Change c) {
    return request(c)
        .map(request -> verdict(c, request))
        .filter(Verdict.Start.class::isInstance)
        .map(Verdict.Start.class::cast);
  }

  private static boolean isPromotable(Change c, NodeView target) {
    return c.state().sync().promotable().contains(target.name());
  }

  private static void drain(Change c, NodeView master) {
    c.assign(
        master.name(), new Goal.Drained(),
        "switchover: stop accepting writes, end sessions, checkpoint, and report your last WAL"
            + " position");
  }

  static boolean primaryLost(Change c) {
    Phase.Switchover switchover = (Phase.Switchover) c.state().phase();
    NodeView primary = c.node(switchover.from());
    boolean lost = c.policy().isLost(primary, c.now());
    if (!lost && !primary.relinquishedPrimary()) {
      return false;
    }
    String why =
        lost
            ? "no heartbeat for " + Words.seconds(primary.silentFor(c.now()))
                + " of broker time: its lease lapsed, so it has fenced itself"
            : "its agent gave up the primary role: " + primary.agent().detail();
    c.answer(
        switchover.requestId(), EventType.SWITCHOVER_ABORTED, Optional.of(primary.name()),
        "switchover aborted: the primary " + primary.name() + " was lost (" + why
            + "); failing over instead",
        RequestOutcome.FAILED);
    Failover.lose(c, primary, why);
    return true;
  }

  static boolean targetSynchronous(Change c) {
    Phase.Switchover switchover = (Phase.Switchover) c.state().phase();
    NodeView master = c.node(switchover.from());
    if (!SyncPlanner.confirmed(master, List.of(switchover.target()))) {
      return false;
    }
    c.replace(c.state().withSync(c.state().sync().confirmed()));
    drain(c, master);
    c.phase(switchover.step(SwitchoverStep.DRAINING, c.now()));
    c.answer(
        switchover.requestId(), EventType.SWITCHOVER_PROGRESS, Optional.of(switchover.target()),
        switchover.target() + " is synchronous; draining " + master.name()
            + ": no new writes, sessions ended, shutdown checkpoint",
        RequestOutcome.ACCEPTED);
    return true;
  }

  static boolean abortBeforeDrain(Change c) {
    Phase.Switchover switchover = (Phase.Switchover) c.state().phase();
    Optional<String> why = whyTargetUnfit(c, switchover);
    Duration elapsed = Duration.between(switchover.startedAt(), c.now());
    if (why.isEmpty() && elapsed.compareTo(c.policy().switchoverTimeout()) >= 0) {
      why =
          Optional.of(
              switchover.target() + " did not become synchronous within the switchover timeout of "
                  + Words.seconds(c.policy().switchoverTimeout()));
    }
    if (why.isEmpty()) {
      return false;
    }
    c.phase(new Phase.Stable());
    SyncPlanner.Plan plan = SyncPlanner.plan(c.state(), c.now(), c.policy());
    c.assign(
        switchover.from(), SyncPlanner.goal(plan.standbys(), Optional.empty()),
        "switchover aborted: restore the replication mode");
    c.replace(c.state().withSync(c.state().sync().reconfigured(plan.standbys(), plan.degraded())));
    c.answer(
        switchover.requestId(), EventType.SWITCHOVER_ABORTED, Optional.of(switchover.target()),
        "switchover from " + switchover.from() + " to " + switchover.target() + " aborted: "
            + why.get() + "; " + switchover.from() + " stays primary",
        RequestOutcome.FAILED);
    return true;
  }

  static boolean retarget(Change c) {
    Phase.Switchover switchover = (Phase.Switchover) c.state().phase();
    Optional<String> why = whyTargetUnfit(c, switchover);
    if (why.isEmpty()) {
      return false;
    }
    Optional<NodeView> replacement =
        CandidateChooser.replacementTarget(
            c.state(), List.of(switchover.from(), switchover.target()), c.now(), c.policy());
    if (replacement.isEmpty()) {
      return false;
    }
    c.phase(switchover.retarget(replacement.get().name()));
    c.answer(
        switchover.requestId(), EventType.SWITCHOVER_PROGRESS,
        Optional.of(replacement.get().name()),
        "switching over to " + replacement.get().name() + " instead: " + why.get(),
        RequestOutcome.ACCEPTED);
    return true;
  }

  static boolean drained(Change c) {
    Phase.Switchover switchover = (Phase.Switchover) c.state().phase();
    NodeView primary = c.node(switchover.from());
    Optional<Lsn> drainedAt = primary.agent().drainedAt();
    boolean drainAccepted =
        primary.assignment()
            .filter(a -> a.goal() instanceof Goal.Drained)
            .map(a -> primary.accepted(a.generation()))
            .orElse(false);
    if (drainedAt.isEmpty() || !drainAccepted || primary.postgres().health() != Health.DOWN) {
      return false;
    }
    String target = switchover.target();
    c.newEpoch();
    List<String> synchronous = SyncPlanner.forNewPrimary(c.state(), target, c.now(), c.policy());
    Assignment promotion =
        c.assign(
            target, SyncPlanner.goal(synchronous, drainedAt),
            "switchover from " + primary.name() + ": promote once you have received its last WAL"
                + " position " + drainedAt.get());
    c.replace(c.state().withSync(SyncState.fresh(synchronous)));
    c.follow(
        primary.name(), c.node(target),
        "switchover to " + target + ": rejoin as its standby");
    c.answer(
        switchover.requestId(), EventType.SWITCHOVER_PROGRESS, Optional.of(target),
        primary.name() + " drained at " + drainedAt.get() + "; promoting " + target
            + " once it has received it",
        RequestOutcome.ACCEPTED);
    c.phase(
        new Phase.Promoting(
            target, promotion.generation(), c.now(),
            new Phase.Origin.Switchover(
                switchover.requestId(), switchover.from(), switchover.startedAt())));
    return true;
  }

  static boolean abortDuringDrain(Change c) {
    Phase.Switchover switchover = (Phase.Switchover) c.state().phase();
    Optional<String> why = whyTargetUnfit(c, switchover);
    Duration draining = Duration.between(switchover.stepSince(), c.now());
    if (why.isEmpty() && draining.compareTo(c.policy().switchoverTimeout()) >= 0) {
      why =
          Optional.of(
              switchover.from() + " did not finish draining within the switchover timeout of "
                  + Words.seconds(c.policy().switchoverTimeout()));
    }
    if (why.isEmpty()) {
      return false;
    }
    c.answer(
        switchover.requestId(), EventType.SWITCHOVER_ABORTED, Optional.of(switchover.from()),
        "switchover from " + switchover.from() + " to " + switchover.target() + " aborted: "
            + why.get() + "; " + switchover.from() + " resumes as primary",
        RequestOutcome.FAILED);
    Promotion.reinstate(
        c, switchover.from(), "switchover aborted: " + why.get(),
        Optional.of(switchover.requestId()));
    return true;
  }

  private static Optional<String> whyTargetUnfit(Change c, Phase.Switchover switchover) {
    NodeView target = c.node(switchover.target());
    return CandidateChooser.whyNot(c.state(), target, c.now(), c.policy())
        .map(why -> switchover.target() + " can no longer take over (" + why + ")");
  }
}
