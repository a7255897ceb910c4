package io.baton.benchmark.campaign;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * When the cluster counts as converged: every node answers, exactly one is writable, the newest
 * master record names it, and every other node streams from it on its timeline. Pure.
 */
final class Convergence {
  private Convergence() {}

  /** What keeps the cluster from having converged; empty when it has. */
  static Optional<String> problem(List<NodeState> nodes, Optional<String> masterNode) {
    List<NodeState> primaries = nodes.stream().filter(NodeState::isPrimary).toList();
    if (nodes.stream().anyMatch(n -> n.unreachable().isPresent()) || primaries.size() != 1) {
      return Optional.of(describe(nodes));
    }
    NodeState primary = primaries.get(0);
    if (masterNode.filter(primary.node()::equals).isEmpty()) {
      return Optional.of("the master record names " + masterNode.orElse("no node") + " but "
          + describe(nodes));
    }
    List<NodeState> lagging = nodes.stream()
        .filter(n -> n != primary && !n.streamsFrom(primary)).toList();
    return lagging.isEmpty() ? Optional.empty() : Optional.of(describe(nodes));
  }

  static String describe(List<NodeState> nodes) {
    return nodes.stream().map(NodeState::describe).collect(Collectors.joining("; "));
  }
}
