package io.baton.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.time.Instant;

/**
 * A node's goal state, on the compacted assignments topic keyed {@code cluster/node}.
 *
 * @param epoch the cluster's master epoch when this was issued; it grows with each new primary
 * @param generation grows with every assignment the coordinator issues for the cluster: an agent
 *     ignores an assignment whose generation is not newer than one it already accepted
 * @param failoverAfter the coordinator's failover timeout, which the agent needs to prove that no
 *     promotion could have happened while it was cut off
 * @param reason one sentence: why this goal, in the words of the events topic
 * @param issuedAt broker time of the decision
 */
@JsonPropertyOrder({"version", "cluster", "node", "epoch", "generation", "goal"})
public record Assignment(
    @JsonProperty(required = true) int version,
    @JsonProperty(required = true) String cluster,
    @JsonProperty(required = true) String node,
    @JsonProperty(required = true) long epoch,
    @JsonProperty(required = true) long generation,
    @JsonProperty(required = true) Goal goal,
    @JsonProperty(required = true) Duration failoverAfter,
    @JsonProperty(required = true) String reason,
    @JsonProperty(required = true) Instant issuedAt) {

  public static final int VERSION = 1;

  public Assignment {
    Fields.version("version", version, VERSION);
    Names.require("cluster", cluster);
    Names.require("node", node);
    Fields.atLeast("epoch", epoch, 1);
    Fields.atLeast("generation", generation, 1);
    Fields.required("goal", goal);
    Fields.required("failoverAfter", failoverAfter);
    Fields.text("reason", reason);
    Fields.required("issuedAt", issuedAt);
  }

  public Assignment(
      String cluster,
      String node,
      long epoch,
      long generation,
      Goal goal,
      Duration failoverAfter,
      String reason,
      Instant issuedAt) {
    this(VERSION, cluster, node, epoch, generation, goal, failoverAfter, reason, issuedAt);
  }

  /** The key on the assignments topic. */
  public String key() {
    return key(cluster, node);
  }

  public static String key(String cluster, String node) {
    return cluster + "/" + node;
  }
}
