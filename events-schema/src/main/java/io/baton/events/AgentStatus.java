package io.baton.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The agent's side of a heartbeat: which assignment it works on and how far it got.
 *
 * @param assignment the newest assignment the agent has accepted
 * @param detail one sentence for people: what the agent is doing or waiting for
 * @param fenced PostgreSQL was stopped because the agent's heartbeats stopped being
 *     acknowledged for {@link #fenceAfter}; it comes back only when the agent can prove no
 *     promotion could have happened, or with a newer assignment
 * @param leaving the node is going away (Kubernetes preStop): never a candidate, never the
 *     synchronous standby
 * @param relinquishedGeneration the agent will never again let PostgreSQL accept writes under
 *     a primary assignment of this generation or older (PostgreSQL stopped under it, or the agent
 *     restarted): the coordinator may fail over at once, or reassign it with a newer generation
 * @param drainedAt after a clean stop for a switchover, the last WAL position it wrote
 * @param fenceAfter the agent's fencing deadline, so the coordinator can check that its
 *     failover timeout leaves a margin
 * @param priority among equally advanced candidates the higher one is promoted
 * @param noFailover never promote this node
 * @param apiUrl the agent's HTTP API (health checks, handover, restart)
 * @param handover set while the node is leaving and wants its primary role handed over: the id
 *     under which the coordinator answers on the events topic, as it answers an operator's
 *     switchover away from this node. Only the node's own signed heartbeat can ask this, so a
 *     node can hand over no role but its own.
 */
public record AgentStatus(
    Optional<AssignmentRef> assignment,
    @JsonProperty(required = true) Convergence convergence,
    @JsonProperty(required = true) String detail,
    @JsonProperty(required = true) boolean fenced,
    @JsonProperty(required = true) boolean leaving,
    OptionalLong relinquishedGeneration,
    Optional<Lsn> drainedAt,
    @JsonProperty(required = true) Duration fenceAfter,
    @JsonProperty(required = true) int priority,
    @JsonProperty(required = true) boolean noFailover,
    Optional<String> apiUrl,
    Optional<String> handover) {

  public AgentStatus {
    assignment = Fields.optional(assignment);
    Fields.required("convergence", convergence);
    Fields.required("detail", detail);
    relinquishedGeneration = Fields.atLeast("relinquishedGeneration", relinquishedGeneration, 1);
    drainedAt = Fields.optional(drainedAt);
    Fields.required("fenceAfter", fenceAfter);
    if (fenceAfter.isNegative() || fenceAfter.isZero()) {
      throw new InvalidFieldException("fenceAfter", "must be positive, got " + fenceAfter);
    }
    apiUrl = Fields.optional(apiUrl);
    handover = Fields.optional(handover);
    handover.ifPresent(id -> Names.require("handover", id));
  }

  /** Whether the agent gave up being writable under the given primary generation. */
  public boolean relinquished(long generation) {
    return relinquishedGeneration.isPresent() && relinquishedGeneration.getAsLong() >= generation;
  }
}
