package io.baton.coordinator.decision;

import io.baton.coordinator.cluster.ClusterState;
import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.Phase;
import io.baton.events.OperatorRequest;
import io.baton.events.RequestedAction;
import java.time.Instant;
import java.util.Optional;

/**
 * A node's preStop handover, asked in its own heartbeat ({@code agent.handover}), decided as a
 * switchover away from that node under the same rules as an operator's, and answered under the
 * id the heartbeat carries. Since only the node's own key signs its heartbeats, a node can hand
 * over no role but its own; agents need no access to the requests topic.
 */
final class Handovers {
  private Handovers() {}

  /**
   * The handover to decide now: in a stable cluster, the first node (by name) still heard from
   * that asks for one not answered yet. While another operation runs it waits, as the agent does.
   */
  static Optional<OperatorRequest> pending(ClusterState state, Instant now) {
    if (!(state.phase() instanceof Phase.Stable)) {
      return Optional.empty();
    }
    return state.nodeViews()
        .filter(node -> !node.lost())
        .filter(node -> node.agent().handover().filter(id -> state.handled(id).isEmpty()).isPresent())
        .findFirst()
        .map(node -> request(state.cluster(), node, now));
  }

  private static OperatorRequest request(String cluster, NodeView node, Instant now) {
    return new OperatorRequest(
        node.agent().handover().orElseThrow(), cluster, "handover:" + node.name(), now,
        new RequestedAction.Switchover(Optional.of(node.name()), Optional.empty()));
  }
}
