package io.baton.coordinator.decision;

import io.baton.coordinator.cluster.ClusterState;
import io.baton.events.ClusterEvent;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one input: the cluster's new state (absent when nothing is to be stored, e.g. a
 * request for a cluster nobody knows) and the effects, in order.
 */
public record Decision(Optional<ClusterState> state, List<Effect> effects) {
  public Decision {
    effects = List.copyOf(effects);
  }

  public List<ClusterEvent> events() {
    return effects.stream()
        .filter(Effect.Emit.class::isInstance)
        .map(e -> ((Effect.Emit) e).event())
        .toList();
  }
}
