package io.baton.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Names an assignment by its epoch and generation, and says which goal state it set. */
public record AssignmentRef(
    @JsonProperty(required = true) long epoch,
    @JsonProperty(required = true) long generation,
    @JsonProperty(required = true) String goal) {

  public AssignmentRef {
    Fields.atLeast("epoch", epoch, 1);
    Fields.atLeast("generation", generation, 1);
    Fields.text("goal", goal);
  }

  public static AssignmentRef of(Assignment assignment) {
    return new AssignmentRef(
        assignment.epoch(), assignment.generation(), assignment.goal().state());
  }
}
