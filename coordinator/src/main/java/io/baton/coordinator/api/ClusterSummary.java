package io.baton.coordinator.api;

import io.baton.coordinator.cluster.ClusterState;
import io.baton.coordinator.cluster.NodeView;
import io.baton.events.Goal;
import io.baton.events.MasterRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What {@code GET /clusters/{cluster}} shows: the cluster at a glance. */
public record ClusterSummary(
    String cluster,
    long epoch,
    String phase,
    Optional<MasterRecord> master,
    String replicationMode,
    boolean maintenance,
    List<String> synchronousStandbys,
    List<NodeSummary> nodes) {

  /** One node: what PostgreSQL reports, what it was told, how far its agent got. */
  public record NodeSummary(
      String node,
      String health,
      String role,
      String host,
      int port,
      long timeline,
      String wal,
      Instant lastSeen,
      boolean lost,
      boolean leaving,
      Optional<String> goal,
      String convergence,
      String detail) {}

  public static ClusterSummary of(ClusterState state) {
    return new ClusterSummary(
        state.cluster(), state.epoch(), state.phase().kind().wire(), state.master(),
        state.settings().replicationMode().wire(), state.settings().maintenance(),
        state.sync().configured(),
        state.nodeViews().map(ClusterSummary::node).toList());
  }

  private static NodeSummary node(NodeView view) {
    return new NodeSummary(
        view.name(), view.postgres().health().wire(), view.postgres().role().wire(),
        view.postgres().host(), view.postgres().port(), view.timeline(),
        view.walPosition().toString(), view.lastSeen(), view.lost(), view.agent().leaving(),
        view.goal().map(Goal::state), view.agent().convergence().wire(), view.agent().detail());
  }
}
