package io.baton.coordinator.candidate;

import io.baton.coordinator.cluster.ClusterState;
import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.policy.Policy;
import io.baton.events.ReplicaStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * The one rule for which nodes may hold the cluster's writes, and in which order they are
 * preferred: failover, switchover and the choice of synchronous standby all go by it.
 */
public final class Eligibility {
  private Eligibility() {}

  /** The most WAL first, then the higher priority, then the name (so every replay agrees). */
  public static final Comparator<NodeView> BEST_FIRST =
      Comparator.comparing(NodeView::walPosition, Comparator.reverseOrder())
          .thenComparing(node -> node.agent().priority(), Comparator.reverseOrder())
          .thenComparing(NodeView::name);

  /** Why a node may not hold the cluster's writes whatever its PostgreSQL does, if so. */
  public static Optional<String> whyExcluded(NodeView node, Instant now, Policy policy) {
    if (policy.isLost(node, now)) {
      // No duration here: the reason is reported once per change, and must not change each tick.
      return Optional.of("lost");
    }
    if (node.agent().leaving()) {
      return Optional.of("leaving");
    }
    if (node.agent().noFailover()) {
      return Optional.of("tagged no-failover");
    }
    return Optional.empty();
  }

  /**
   * Why a node could not take over now, if it could not: excluded, not a running standby, or a
   * standby of another database system than the master's.
   */
  public static Optional<String> whyNot(
      ClusterState state, NodeView node, Instant now, Policy policy) {
    Optional<String> excluded = whyExcluded(node, now, policy);
    if (excluded.isPresent()) {
      return excluded;
    }
    if (!node.postgres().isRunningStandby()) {
      return Optional.of(
          "not a running standby (" + node.postgres().health().wire() + ", "
              + node.postgres().role().wire() + ")");
    }
    Optional<String> system = state.master().isPresent()
        ? state.masterNode().flatMap(state::node).flatMap(m -> m.postgres().systemIdentifier())
        : Optional.empty();
    Optional<String> own = node.postgres().systemIdentifier();
    if (system.isPresent() && own.isPresent() && !system.get().equals(own.get())) {
      return Optional.of("belongs to another database system (" + own.get() + ")");
    }
    return Optional.empty();
  }

  /** Whether the primary reports the standby streaming from it. */
  public static boolean streamsFrom(NodeView primary, String standby) {
    return primary.postgres().replicas().stream()
        .filter(ReplicaStatus::isStreaming)
        .anyMatch(replica -> replica.application().equals(standby));
  }
}
