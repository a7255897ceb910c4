package io.baton.coordinator.decision;

import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.Phase;
import io.baton.coordinator.cluster.SyncState;
import io.baton.coordinator.cluster.Words;
import io.baton.coordinator.replication.SyncPlanner;
import io.baton.events.Assignment;
import io.baton.events.DataDirectoryStatus;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.events.RequestOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A node told to become primary: it does, and the master record is published; or it does not. */
final class Promotion {
  private Promotion() {}

  static boolean promoted(Change c) {
    Phase.Promoting promoting = (Phase.Promoting) c.state().phase();
    NodeView node = c.node(promoting.candidate());
    if (!node.postgres().isRunningPrimary()
        || !node.accepted(promoting.generation())
        || node.relinquishedPrimary()
        || c.policy().isLost(node, c.now())) {
      return false;
    }
    String reason = reason(promoting.origin());
    Lsn position = node.postgres().currentLsn().orElse(node.walPosition());
    c.publishMaster(
        new MasterRecord(
            c.state().cluster(), c.state().epoch(), node.name(), node.postgres().host(),
            node.postgres().port(), Math.max(1, node.timeline()), position, c.now(), reason));
    List<String> synchronous =
        node.goal()
            .filter(Goal.Primary.class::isInstance)
            .map(g -> ((Goal.Primary) g).synchronousStandbys())
            .orElse(List.of());
    c.replace(c.state().withSync(SyncState.fresh(synchronous)));
    String message =
        node.name() + " is the primary at epoch " + c.state().epoch() + " (timeline "
            + node.timeline() + ", WAL " + position + ") after "
            + Words.seconds(Duration.between(promoting.since(), c.now())) + ": " + reason;
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
              + Words.seconds(Duration.between(switchover.startedAt(), c.now())),
          RequestOutcome.COMPLETED);
    }
    c.phase(new Phase.Stable());
    return true;
  }

  /**
   * A switchover target that gave up without promoting (its timeline did not move): the old
   * primary, drained cleanly, still holds every write and takes the role back.
   */
  static boolean switchoverTargetGaveUp(Change c) {
    Phase.Promoting promoting = (Phase.Promoting) c.state().phase();
    if (!(promoting.origin() instanceof Phase.Origin.Switchover switchover)) {
      return false;
    }
    NodeView target = c.node(promoting.candidate());
    Optional<NodeView> from = c.state().node(switchover.from());
    long previousTimeline = c.state().master().map(MasterRecord::timeline).orElse(0L);
    if (!target.relinquishedPrimary()
        || timelineSeen(target) > previousTimeline
        || from.isEmpty()
        || c.policy().isLost(from.get(), c.now())) {
      return false;
    }
    String why = promoting.candidate() + " gave up before promoting: " + target.agent().detail();
    c.emit(EventType.PROMOTION_FAILED, target.name(), why);
    c.answer(
        switchover.requestId(), EventType.SWITCHOVER_ABORTED, Optional.of(switchover.from()),
        "switchover from " + switchover.from() + " to " + target.name() + " aborted: " + why + "; "
            + switchover.from() + " resumes as primary",
        RequestOutcome.FAILED);
    reinstate(c, switchover.from(), "switchover to " + target.name() + " failed: " + why,
        Optional.of(switchover.requestId()));
    return true;
  }

  static boolean promotionFailed(Change c) {
    Phase.Promoting promoting = (Phase.Promoting) c.state().phase();
    NodeView candidate = c.node(promoting.candidate());
    boolean lost = c.policy().isLost(candidate, c.now());
    if (!lost && !candidate.relinquishedPrimary()) {
      return false;
    }
    String why =
        lost
            ? candidate.name() + " was lost before it reported the promotion"
            : candidate.name() + " gave up the primary role: " + candidate.agent().detail();
    c.emit(EventType.PROMOTION_FAILED, candidate.name(), why);
    if (promoting.origin() instanceof Phase.Origin.Switchover switchover) {
      c.answer(
          switchover.requestId(), EventType.SWITCHOVER_ABORTED, Optional.of(candidate.name()),
          "switchover from " + switchover.from() + " to " + candidate.name() + " aborted: " + why
              + "; it may have accepted writes, so choosing a new primary as in a failover",
          RequestOutcome.FAILED);
    }
    Failover.lose(c, candidate, why);
    return true;
  }

  /** Makes a node primary again under a new epoch; used when an operation is called off. */
  static void reinstate(Change c, String node, String reason, Optional<String> requestId) {
    c.newEpoch();
    List<String> synchronous = SyncPlanner.forNewPrimary(c.state(), node, c.now(), c.policy());
    Assignment assignment =
        c.assign(node, SyncPlanner.goal(synchronous, Optional.empty()), reason);
    c.replace(c.state().withSync(SyncState.fresh(synchronous)));
    c.phase(
        new Phase.Promoting(
            node, assignment.generation(), c.now(),
            new Phase.Origin.Reinstatement(reason, requestId)));
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
