package io.baton.coordinator.replication;

import io.baton.coordinator.candidate.Eligibility;
import io.baton.coordinator.cluster.ClusterState;
import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.SyncState;
import io.baton.coordinator.policy.Policy;
import io.baton.events.Goal;
import io.baton.events.Lsn;
import io.baton.events.ReplicationMode;
import io.baton.events.SynchronousStandbyNames;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which standby the primary's commits should wait for. One synchronous standby at a time: it is
 * the only promotable node in synchronous mode. A healthy one is kept for as long as it stays
 * healthy (no needless churn); when it fails the best healthy standby replaces it at once, so
 * writes do not hang on a dead standby for longer than it takes to notice.
 */
public final class SyncPlanner {
  private SyncPlanner() {}

  /**
   * @param degraded set when the plan cannot give the mode what it wants: why
   */
  public record Plan(List<String> standbys, Optional<String> degraded) {}

  /** The synchronous standbys the current master should have now. */
  public static Plan plan(ClusterState state, Instant now, Policy policy) {
    ReplicationMode mode = state.settings().replicationMode();
    if (!mode.synchronous()) {
      return new Plan(List.of(), Optional.empty());
    }
    NodeView master = state.masterNode().flatMap(state::node).orElseThrow();
    Predicate<NodeView> healthy = node -> !node.name().equals(master.name())
        && Eligibility.whyNot(state, node, now, policy).isEmpty()
        && Eligibility.streamsFrom(master, node.name());
    Optional<NodeView> kept =
        state.sync().configured().stream()
            .map(state::node)
            .flatMap(Optional::stream)
            .filter(healthy)
            .findFirst();
    if (kept.isPresent()) {
      return new Plan(List.of(kept.get().name()), Optional.empty());
    }
    Optional<NodeView> best = state.nodeViews().filter(healthy).min(Eligibility.BEST_FIRST);
    if (best.isPresent()) {
      return new Plan(List.of(best.get().name()), Optional.empty());
    }
    if (mode == ReplicationMode.SYNC) {
      return new Plan(
          List.of(),
          Optional.of(
              "no healthy standby streams from " + master.name()
                  + ": running without a synchronous standby, so no automatic failover until one"
                  + " is back"));
    }
    List<String> blockingOn =
        state.sync().configured().isEmpty()
            ? standInFor(state, master.name(), now, policy)
            : state.sync().configured();
    return new Plan(
        blockingOn,
        Optional.of(
            "no healthy standby streams from " + master.name()
                + ": strict-sync keeps writes waiting for " + String.join(", ", blockingOn)));
  }

  /** The synchronous standbys for a node about to become primary. */
  public static List<String> forNewPrimary(
      ClusterState state, String newPrimary, Instant now, Policy policy) {
    if (state.settings().replicationMode() != ReplicationMode.STRICT_SYNC) {
      // In sync mode the new primary starts without one and gains it as soon as a standby
      // streams from it; nobody is promotable in between, so nothing acknowledged can be lost.
      return List.of();
    }
    return standInFor(state, newPrimary, now, policy);
  }

  /** The best other node to wait for when no standby streams yet (strict-sync only). */
  private static List<String> standInFor(
      ClusterState state, String primary, Instant now, Policy policy) {
    return state.nodeViews()
        .filter(node -> !node.name().equals(primary))
        .filter(node -> Eligibility.whyExcluded(node, now, policy).isEmpty())
        .min(Eligibility.BEST_FIRST)
        .map(node -> List.of(node.name()))
        .orElse(List.of());
  }

  /** The primary goal that makes commits wait for these standbys (one of them at a time). */
  public static Goal.Primary goal(List<String> standbys, Optional<Lsn> catchUpTo) {
    return new Goal.Primary(standbys, standbys.isEmpty() ? 0 : 1, catchUpTo);
  }

  /**
   * Remembers the primary's WAL position in the first heartbeat that shows the configured list in
   * effect: commits acknowledged before the list took effect did not wait for its members, and
   * lie below that position.
   */
  public static SyncState observe(NodeView master, SyncState sync) {
    if (sync.configured().isEmpty() || sync.appliedAt().isPresent() || !inEffect(master, sync)) {
      return sync;
    }
    return sync.applied(position(master));
  }

  /**
   * Whether the configured standbys hold every commit the primary acknowledged: the list is in
   * effect under the assignment that set it (a heartbeat from before that assignment proves
   * nothing), every member is {@code sync}, and every member has flushed the WAL the primary had
   * written when the list took effect.
   */
  public static boolean confirmable(NodeView master, SyncState sync) {
    if (sync.configured().isEmpty() || sync.appliedAt().isEmpty() || !inEffect(master, sync)) {
      return false;
    }
    Lsn needed = sync.appliedAt().get();
    return sync.configured().stream()
        .allMatch(name -> master.postgres().replicas().stream()
            .anyMatch(r -> r.application().equals(name)
                && r.isSynchronous()
                && r.flushLsn().filter(flushed -> !flushed.isBefore(needed)).isPresent()));
  }

  private static boolean inEffect(NodeView master, SyncState sync) {
    String expected = SynchronousStandbyNames.render(goal(sync.configured(), Optional.empty()));
    return master.accepted(sync.generation())
        && master.postgres().synchronousStandbyNames().orElse("").equals(expected)
        && sync.configured().stream()
            .allMatch(name -> master.postgres().replicas().stream()
                .anyMatch(r -> r.application().equals(name) && r.isSynchronous()));
  }

  private static Lsn position(NodeView master) {
    return master.postgres().currentLsn().orElse(master.walPosition());
  }
}
