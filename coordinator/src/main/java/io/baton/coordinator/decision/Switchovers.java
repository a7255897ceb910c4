package io.baton.coordinator.decision;

import io.baton.coordinator.candidate.CandidateChooser;
import io.baton.coordinator.candidate.CandidateChooser.Choice;
import io.baton.coordinator.candidate.Eligibility;
import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.Phase;
import io.baton.coordinator.cluster.Phase.SwitchoverStep;
import io.baton.coordinator.replication.SyncPlanner;
import io.baton.events.Amounts;
import io.baton.events.Assignment;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.Health;
import io.baton.events.Lsn;
import io.baton.events.OperatorRequest;
import io.baton.events.Reason;
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
  sealed interface Verdict {
    record Start(NodeView target, String explanation) implements Verdict {}

    /** The request asks for what already holds. */
    record NothingToDo(String message) implements Verdict {}

    record Refused(Reason reason, String message) implements Verdict {}
  }

  static Verdict verdict(Facts f, OperatorRequest request) {
    RequestedAction.Switchover switchover = (RequestedAction.Switchover) request.action();
    String master = f.state().masterNode().orElseThrow();
    if (switchover.from().filter(from -> !from.equals(master)).isPresent()) {
      return new Verdict.NothingToDo(
          switchover.from().get() + " is not the primary (" + master + " is): nothing to do");
    }
    if (switchover.to().filter(master::equals).isPresent()) {
      return new Verdict.NothingToDo(master + " is already the primary: nothing to do");
    }
    if (f.state().settings().maintenance()) {
      return new Verdict.Refused(
          Reason.MAINTENANCE, "switchover refused: the cluster is in maintenance mode");
    }
    Choice choice = CandidateChooser.forSwitchover(f.state(), f.now(), f.policy(), switchover.to());
    if (choice instanceof Choice.Blocked blocked) {
      return new Verdict.Refused(
          Reason.NO_CANDIDATE, "switchover refused: " + blocked.reason());
    }
    Choice.Chosen chosen = (Choice.Chosen) choice;
    return new Verdict.Start(chosen.node(), chosen.explanation());
  }

  private static OperatorRequest request(Facts f) {
    return f.request(RequestedAction.Switchover.class).orElseThrow();
  }

  static boolean refused(Facts f) {
    return f.switchover().filter(v -> !(v instanceof Verdict.Start)).isPresent();
  }

  static void refuse(Facts f, Change c) {
    String requestId = request(f).requestId();
    Verdict verdict = f.switchover().orElseThrow();
    if (verdict instanceof Verdict.Refused refused) {
      c.refuse(requestId, EventType.SWITCHOVER_REFUSED, f.state().masterNode(), refused.reason(),
          refused.message());
    } else {
      c.answer(requestId, EventType.SWITCHOVER_COMPLETED, f.state().masterNode(),
          ((Verdict.NothingToDo) verdict).message(), RequestOutcome.COMPLETED);
    }
  }

  private static Optional<Verdict.Start> start(Facts f) {
    return f.switchover().filter(Verdict.Start.class::isInstance).map(Verdict.Start.class::cast);
  }

  static boolean targetNotYetSynchronous(Facts f) {
    return start(f).filter(s -> !isPromotable(f, s.target())).isPresent();
  }

  static boolean targetAlreadySynchronous(Facts f) {
    return start(f).filter(s -> isPromotable(f, s.target())).isPresent();
  }

  static void startWithSync(Facts f, Change c) {
    Verdict.Start start = start(f).orElseThrow();
    OperatorRequest request = request(f);
    NodeView master = f.requireMaster();
    String target = start.target().name();
    List<String> synchronous = List.of(target);
    Assignment assignment =
        c.assign(
            master.name(), SyncPlanner.goal(synchronous, Optional.empty()),
            "switchover to " + target + ": make it synchronous first");
    c.replace(c.state().withSync(
        c.state().sync().reconfigured(synchronous, Optional.empty(), assignment.generation())));
    c.phase(
        new Phase.Switchover(
            request.requestId(), master.name(), target, SwitchoverStep.SYNCING, f.now(), f.now()));
    c.answer(
        request.requestId(), EventType.SWITCHOVER_STARTED, Optional.of(target),
        "switchover from " + master.name() + " to " + target + " requested by "
            + request.requestedBy() + " (" + start.explanation() + "): making " + target
            + " synchronous",
        RequestOutcome.ACCEPTED);
  }

  static void startDraining(Facts f, Change c) {
    OperatorRequest request = request(f);
    NodeView master = f.requireMaster();
    String target = start(f).orElseThrow().target().name();
    drain(c, master);
    c.phase(
        new Phase.Switchover(
            request.requestId(), master.name(), target, SwitchoverStep.DRAINING, f.now(), f.now()));
    c.answer(
        request.requestId(), EventType.SWITCHOVER_STARTED, Optional.of(target),
        "switchover from " + master.name() + " to " + target + " requested by "
            + request.requestedBy() + ": " + target + " is already synchronous; draining "
            + master.name(),
        RequestOutcome.ACCEPTED);
  }

  private static boolean isPromotable(Facts f, NodeView target) {
    return f.state().sync().promotable().contains(target.name());
  }

  private static void drain(Change c, NodeView master) {
    c.assign(
        master.name(), new Goal.Drained(),
        "switchover: stop accepting writes, end sessions, checkpoint, and report your last WAL"
            + " position");
  }

  static boolean primaryLost(Facts f) {
    NodeView primary = f.node(f.phase(Phase.Switchover.class).from());
    return f.isLost(primary) || primary.relinquishedPrimary();
  }

  static void failOver(Facts f, Change c) {
    Phase.Switchover switchover = f.phase(Phase.Switchover.class);
    NodeView primary = f.node(switchover.from());
    String why =
        f.isLost(primary)
            ? "no heartbeat for " + Amounts.seconds(primary.silentFor(f.now()))
                + " of broker time: its lease lapsed, so it has fenced itself"
            : "its agent gave up the primary role: " + primary.agent().detail();
    c.fail(
        switchover.requestId(), EventType.SWITCHOVER_ABORTED, Optional.of(primary.name()),
        Reason.PRIMARY_LOST,
        "switchover aborted: the primary " + primary.name() + " was lost (" + why
            + "); failing over instead");
    Failover.loseMaster(c, primary, why);
  }

  static boolean primaryFencedWhileSyncing(Facts f) {
    return Renewal.due(f.node(f.phase(Phase.Switchover.class).from()), f);
  }

  static void renewPrimary(Facts f, Change c) {
    Renewal.renew(f, c, f.node(f.phase(Phase.Switchover.class).from()));
  }

  static boolean targetConfirmedSynchronous(Facts f) {
    Phase.Switchover switchover = f.phase(Phase.Switchover.class);
    return SyncPlanner.confirmable(f.node(switchover.from()), f.state().sync())
        && f.state().sync().configured().equals(List.of(switchover.target()));
  }

  static void targetSynchronous(Facts f, Change c) {
    Phase.Switchover switchover = f.phase(Phase.Switchover.class);
    NodeView master = f.node(switchover.from());
    c.replace(c.state().withSync(c.state().sync().confirmed()));
    drain(c, master);
    c.phase(switchover.step(SwitchoverStep.DRAINING, f.now()));
    c.answer(
        switchover.requestId(), EventType.SWITCHOVER_PROGRESS, Optional.of(switchover.target()),
        switchover.target() + " is synchronous; draining " + master.name()
            + ": no new writes, sessions ended, shutdown checkpoint",
        RequestOutcome.ACCEPTED);
  }

  /** Why the switchover must stop before the drain, when it must. */
  private static Optional<String> whyAbortBeforeDrain(Facts f) {
    Phase.Switchover switchover = f.phase(Phase.Switchover.class);
    Optional<String> why = whyTargetUnfit(f, switchover);
    if (why.isEmpty()
        && Duration.between(switchover.startedAt(), f.now())
            .compareTo(f.policy().switchoverTimeout()) >= 0) {
      why =
          Optional.of(
              switchover.target() + " did not become synchronous within the switchover timeout of "
                  + Amounts.seconds(f.policy().switchoverTimeout()));
    }
    return why;
  }

  static boolean mustAbortBeforeDrain(Facts f) {
    return whyAbortBeforeDrain(f).isPresent();
  }

  static void abortBeforeDrain(Facts f, Change c) {
    Phase.Switchover switchover = f.phase(Phase.Switchover.class);
    String why = whyAbortBeforeDrain(f).orElseThrow();
    c.phase(new Phase.Stable());
    SyncPlanner.Plan plan = SyncPlanner.plan(c.state(), f.now(), f.policy());
    Assignment restored =
        c.assign(
            switchover.from(), SyncPlanner.goal(plan.standbys(), Optional.empty()),
            "switchover aborted: restore the replication mode");
    c.replace(c.state().withSync(
        c.state().sync().reconfigured(plan.standbys(), plan.degraded(), restored.generation())));
    c.fail(
        switchover.requestId(), EventType.SWITCHOVER_ABORTED, Optional.of(switchover.target()),
        abortReason(f, switchover),
        "switchover from " + switchover.from() + " to " + switchover.target() + " aborted: "
            + why + "; " + switchover.from() + " stays primary");
  }

  private static Optional<NodeView> replacement(Facts f) {
    Phase.Switchover switchover = f.phase(Phase.Switchover.class);
    if (whyTargetUnfit(f, switchover).isEmpty()) {
      return Optional.empty();
    }
    return CandidateChooser.replacementTarget(
        f.state(), List.of(switchover.from(), switchover.target()), f.now(), f.policy());
  }

  static boolean targetFailedWithAReplacement(Facts f) {
    return replacement(f).isPresent();
  }

  static void retarget(Facts f, Change c) {
    Phase.Switchover switchover = f.phase(Phase.Switchover.class);
    String why = whyTargetUnfit(f, switchover).orElseThrow();
    NodeView next = replacement(f).orElseThrow();
    c.phase(switchover.retarget(next.name()));
    c.answer(
        switchover.requestId(), EventType.SWITCHOVER_PROGRESS, Optional.of(next.name()),
        "switching over to " + next.name() + " instead: " + why, RequestOutcome.ACCEPTED);
  }

  static boolean primaryDrained(Facts f) {
    NodeView primary = f.node(f.phase(Phase.Switchover.class).from());
    boolean drainAccepted =
        primary.assignment()
            .filter(a -> a.goal() instanceof Goal.Drained)
            .map(a -> primary.accepted(a.generation()))
            .orElse(false);
    return primary.agent().drainedAt().isPresent()
        && drainAccepted
        && primary.postgres().health() == Health.DOWN;
  }

  /**
   * Promotes the target once it has received the drained primary's last position. In synchronous
   * modes its commits wait for the drained primary from its first write: the drained primary holds
   * every write before the switchover and rejoins as its standby, so it holds every write after,
   * and stays promotable should the target be lost (the switchover then ends as a failover to it).
   */
  static void drained(Facts f, Change c) {
    Phase.Switchover switchover = f.phase(Phase.Switchover.class);
    NodeView primary = f.node(switchover.from());
    Lsn drainedAt = primary.agent().drainedAt().orElseThrow();
    String target = switchover.target();
    boolean synchronous = f.state().settings().replicationMode().synchronous();
    List<String> waitFor =
        synchronous
            ? List.of(primary.name())
            : SyncPlanner.forNewPrimary(f.state(), target, f.now(), f.policy());
    Promotion.promote(
        c, target, waitFor, synchronous ? waitFor : List.of(), Optional.of(drainedAt),
        "switchover from " + primary.name() + ": promote once you have received its last WAL"
            + " position " + drainedAt,
        new Phase.Origin.Switchover(switchover.requestId(), switchover.from(), switchover.startedAt()),
        Lsn.max(drainedAt, primary.lastKnownWal()), primary.lastSeen());
    c.follow(primary.name(), c.node(target), "switchover to " + target + ": rejoin as its standby");
    c.answer(
        switchover.requestId(), EventType.SWITCHOVER_PROGRESS, Optional.of(target),
        primary.name() + " drained at " + drainedAt + "; promoting " + target
            + " once it has received it",
        RequestOutcome.ACCEPTED);
  }

  private static Optional<String> whyAbortDuringDrain(Facts f) {
    Phase.Switchover switchover = f.phase(Phase.Switchover.class);
    Optional<String> why = whyTargetUnfit(f, switchover);
    if (why.isEmpty()
        && Duration.between(switchover.stepSince(), f.now())
            .compareTo(f.policy().switchoverTimeout()) >= 0) {
      why =
          Optional.of(
              switchover.from() + " did not finish draining within the switchover timeout of "
                  + Amounts.seconds(f.policy().switchoverTimeout()));
    }
    return why;
  }

  static boolean mustAbortDuringDrain(Facts f) {
    return whyAbortDuringDrain(f).isPresent();
  }

  static void abortDuringDrain(Facts f, Change c) {
    Phase.Switchover switchover = f.phase(Phase.Switchover.class);
    String why = whyAbortDuringDrain(f).orElseThrow();
    c.fail(
        switchover.requestId(), EventType.SWITCHOVER_ABORTED, Optional.of(switchover.from()),
        abortReason(f, switchover),
        "switchover from " + switchover.from() + " to " + switchover.target() + " aborted: "
            + why + "; " + switchover.from() + " resumes as primary");
    Promotion.reinstate(
        c, switchover.from(), "switchover aborted: " + why, Optional.of(switchover.requestId()));
  }

  private static Reason abortReason(Facts f, Phase.Switchover switchover) {
    return whyTargetUnfit(f, switchover).isPresent() ? Reason.TARGET_UNFIT : Reason.TIMED_OUT;
  }

  private static Optional<String> whyTargetUnfit(Facts f, Phase.Switchover switchover) {
    NodeView target = f.node(switchover.target());
    return Eligibility.whyNot(f.state(), target, f.now(), f.policy())
        .map(why -> switchover.target() + " can no longer take over (" + why + ")");
  }
}
