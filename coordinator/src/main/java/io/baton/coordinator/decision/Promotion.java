package io.baton.coordinator.decision;

import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.Phase;
import io.baton.coordinator.cluster.SyncState;
import io.baton.coordinator.replication.SyncPlanner;
import io.baton.events.Amounts;
import io.baton.events.Assignment;
import io.baton.events.DataDirectoryStatus;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.events.Reason;
import io.baton.events.RequestOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A node told to become primary: it does, and the master record is published; or it does not. */
final class Promotion {
  private Promotion() {}

  /**
   * Makes a node the primary under a new epoch: the one way every transition promotes (adoption,
   * failover, switchover, reinstatement).
   *
   * @param synchronous the standbys its commits wait for from its first write
   * @param promotable those of them that already hold every write acknowledged before
   * @param catchUpTo promote only once this WAL position has been received (a switchover's drain)
   * @param floor every write acknowledged before lies at or below this position
   * @param heardUntil the last sign of life of the writer it replaces
   */
  static Assignment promote(
      Change c, String node, List<String> synchronous, List<String> promotable,
      Optional<Lsn> catchUpTo, String reason, Phase.Origin origin, Lsn floor, Instant heardUntil) {
    c.newEpoch();
    // Whether or not this promotion is ever reported, the timeline it may take is never reused.
    long timelineAbove = c.state().timelineFloor();
    Assignment promotion = c.assign(
        node, SyncPlanner.goal(synchronous, catchUpTo).promotingAbove(timelineAbove), reason);
    c.replace(c.state().withTimelineTaken(timelineAbove + 1)
        .withSync(SyncState.fresh(synchronous, promotable, promotion.generation())));
    c.phase(new Phase.Promoting(node, promotion.generation(), c.now(), origin, floor, heardUntil));
    return promotion;
  }

  /** Makes a node primary again under a new epoch; used when an operation is called off. */
  static void reinstate(Change c, String node, String reason, Optional<String> requestId) {
    NodeView view = c.node(node);
    promote(
        c, node, SyncPlanner.forNewPrimary(c.state(), node, c.now(), c.policy()), List.of(),
        Optional.empty(), reason, new Phase.Origin.Reinstatement(reason, requestId),
        view.lastKnownWal(), view.lastSeen());
  }

  static boolean reportsPrimary(Facts f) {
    Phase.Promoting promoting = f.phase(Phase.Promoting.class);
    NodeView node = f.node(promoting.candidate());
    return node.postgres().isRunningPrimary()
        && node.accepted(promoting.generation())
        && !node.relinquishedPrimary()
        && !f.isLost(node);
  }

  static void promoted(Facts f, Change c) {
    Phase.Promoting promoting = f.phase(Phase.Promoting.class);
    NodeView node = f.node(promoting.candidate());
    String reason = reason(promoting.origin());
    Lsn position = node.postgres().currentLsn().orElse(node.walPosition());
    c.publishMaster(
        new MasterRecord(
            f.state().cluster(), f.state().epoch(), node.name(), node.postgres().host(),
            node.postgres().port(), Math.max(1, node.timeline()), position, f.now(), reason));
    String message =
        node.name() + " is the primary at epoch " + f.state().epoch() + " (timeline "
            + node.timeline() + ", WAL " + position + ") after "
            + Amounts.seconds(Duration.between(promoting.since(), f.now())) + ": " + reason;
    Optional<String> failoverRequest =
        promoting.origin() instanceof Phase.Origin.Failover failover
            ? failover.requestId()
            : Optional.empty();
    if (failoverRequest.isPresent()) {
      c.answer(
          failoverRequest.get(), EventType.PROMOTED, Optional.of(node.name()), message,
          RequestOutcome.COMPLETED);
    } else {
      c.emit(EventType.PROMOTED, node.name(), message);
    }
    if (promoting.origin() instanceof Phase.Origin.Switchover switchover) {
      c.answer(
          switchover.requestId(), EventType.SWITCHOVER_COMPLETED, Optional.of(node.name()),
          "switchover from " + switchover.from() + " to " + node.name() + " completed in "
              + Amounts.seconds(Duration.between(switchover.startedAt(), f.now())),
          RequestOutcome.COMPLETED);
    }
    c.phase(new Phase.Stable());
  }

  /**
   * The candidate fenced itself when its heartbeats went unacknowledged (a Kafka blip), and is
   * heard again before it was lost: nobody else was promoted, so it may go on.
   */
  static boolean candidateFenced(Facts f) {
    Phase.Promoting promoting = f.phase(Phase.Promoting.class);
    NodeView node = f.node(promoting.candidate());
    return Renewal.due(node, f) && node.accepted(promoting.generation());
  }

  static void renewCandidate(Facts f, Change c) {
    Phase.Promoting promoting = f.phase(Phase.Promoting.class);
    Assignment renewed = Renewal.renew(f, c, f.node(promoting.candidate()));
    c.phase(promoting.renewed(renewed.generation()));
  }

  /**
   * A switchover target that gave up without promoting (its timeline did not move): the old
   * primary, drained cleanly, still holds every write and takes the role back.
   */
  static boolean switchoverTargetGaveUp(Facts f) {
    Phase.Promoting promoting = f.phase(Phase.Promoting.class);
    if (!(promoting.origin() instanceof Phase.Origin.Switchover switchover)) {
      return false;
    }
    NodeView target = f.node(promoting.candidate());
    Optional<NodeView> from = f.state().node(switchover.from());
    long previousTimeline = f.state().master().map(MasterRecord::timeline).orElse(0L);
    return target.relinquishedPrimary()
        && timelineSeen(target) <= previousTimeline
        && from.isPresent()
        && !f.isLost(from.get());
  }

  static void resumeDrainedPrimary(Facts f, Change c) {
    Phase.Promoting promoting = f.phase(Phase.Promoting.class);
    Phase.Origin.Switchover switchover = (Phase.Origin.Switchover) promoting.origin();
    NodeView target = f.node(promoting.candidate());
    String why = promoting.candidate() + " gave up before promoting: " + target.agent().detail();
    c.emit(EventType.PROMOTION_FAILED, target.name(), why);
    c.fail(
        switchover.requestId(), EventType.SWITCHOVER_ABORTED, Optional.of(switchover.from()),
        Reason.TARGET_GAVE_UP,
        "switchover from " + switchover.from() + " to " + target.name() + " aborted: " + why + "; "
            + switchover.from() + " resumes as primary");
    reinstate(c, switchover.from(), "switchover to " + target.name() + " failed: " + why,
        Optional.of(switchover.requestId()));
  }

  static boolean candidateLostOrGaveUp(Facts f) {
    NodeView candidate = f.node(f.phase(Phase.Promoting.class).candidate());
    return f.isLost(candidate) || candidate.relinquishedPrimary();
  }

  static void promotionFailed(Facts f, Change c) {
    Phase.Promoting promoting = f.phase(Phase.Promoting.class);
    NodeView candidate = f.node(promoting.candidate());
    String why =
        f.isLost(candidate)
            ? candidate.name() + " was lost before it reported the promotion"
            : candidate.name() + " gave up the primary role: " + candidate.agent().detail();
    c.emit(EventType.PROMOTION_FAILED, candidate.name(), why);
    if (promoting.origin() instanceof Phase.Origin.Switchover switchover) {
      c.fail(
          switchover.requestId(), EventType.SWITCHOVER_ABORTED, Optional.of(candidate.name()),
          Reason.PROMOTION_FAILED,
          "switchover from " + switchover.from() + " to " + candidate.name() + " aborted: " + why
              + "; it may have accepted writes, so choosing a new primary as in a failover");
    }
    // Whatever the writer it replaced acknowledged, and whatever it may have acknowledged itself,
    // the next candidate must hold: measure against both, not against the failed candidate alone.
    Failover.lose(
        c, candidate, why, Lsn.max(promoting.floor(), candidate.lastKnownWal()),
        later(promoting.heardUntil(), candidate.lastSeen()));
  }

  /**
   * A candidate that heartbeats but never becomes the primary (stuck in recovery, failing to
   * start) would leave the cluster without one for ever: after promotion-timeout it is told to
   * stop; once its agent gives the role up (it relinquishes a stopped primary role), another
   * candidate is chosen.
   */
  static boolean timedOut(Facts f) {
    Phase.Promoting promoting = f.phase(Phase.Promoting.class);
    NodeView candidate = f.node(promoting.candidate());
    boolean stillAssignedPrimary =
        candidate.assignment().filter(a -> a.generation() == promoting.generation()).isPresent();
    return stillAssignedPrimary
        && Duration.between(promoting.since(), f.now()).compareTo(f.policy().promotionTimeout()) >= 0;
  }

  static void stopStuckCandidate(Facts f, Change c) {
    Phase.Promoting promoting = f.phase(Phase.Promoting.class);
    NodeView candidate = f.node(promoting.candidate());
    String why =
        candidate.name() + " did not become the primary within promotion-timeout "
            + Amounts.seconds(f.policy().promotionTimeout()) + " (" + candidate.agent().detail()
            + "): stopping it; once it gives the role up, another candidate is chosen";
    c.assign(candidate.name(), new Goal.Stopped(), why);
    c.emit(EventType.PROMOTION_FAILED, candidate.name(), why);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static long timelineSeen(NodeView node) {
    return Math.max(
        node.timeline(),
        node.postgres().dataDirectory().map(DataDirectoryStatus::timeline).orElse(0L));
  }

  private static String reason(Phase.Origin origin) {
    if (origin instanceof Phase.Origin.Adoption adoption) {
      return "adopted: " + adoption.reason();
    }
    if (origin instanceof Phase.Origin.Failover failover) {
      return "failover: primary " + failover.lostNode() + " lost (" + failover.reason() + ")";
    }
    if (origin instanceof Phase.Origin.Switchover switchover) {
      return "switchover from " + switchover.from() + " (request " + switchover.requestId() + ")";
    }
    return ((Phase.Origin.Reinstatement) origin).reason();
  }
}
