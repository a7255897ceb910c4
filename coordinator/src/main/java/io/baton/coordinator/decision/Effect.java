package io.baton.coordinator.decision;

import io.baton.events.Assignment;
import io.baton.events.ClusterEvent;
import io.baton.events.MasterRecord;

/** What a decision asks the world to do; the Streams processor writes each to its topic. */
public sealed interface Effect {
  record Assign(Assignment assignment) implements Effect {}

  record PublishMaster(MasterRecord master) implements Effect {}

  record Emit(ClusterEvent event) implements Effect {}
}
