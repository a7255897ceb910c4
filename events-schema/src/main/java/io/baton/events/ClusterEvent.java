package io.baton.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Optional;

/**
 * One decision or observation of the coordinator, in words, on the events topic keyed by
 * cluster. The coordinator logs the same sentence.
 *
 * @param at broker time of the input that led to it
 * @param epoch the cluster's master epoch after the decision
 * @param requestId the operator request this answers, if any
 * @param outcome for events answering a request: where the request stands
 * @param reason for a refused request or a failed operation: why, as a code to branch on
 */
@JsonPropertyOrder({"version", "cluster", "at", "epoch", "type", "node", "message"})
public record ClusterEvent(
    @JsonProperty(required = true) int version,
    @JsonProperty(required = true) String cluster,
    @JsonProperty(required = true) Instant at,
    @JsonProperty(required = true) long epoch,
    @JsonProperty(required = true) EventType type,
    Optional<String> node,
    @JsonProperty(required = true) String message,
    Optional<String> requestId,
    Optional<RequestOutcome> outcome,
    Optional<Reason> reason) {

  public static final int VERSION = 1;

  public ClusterEvent {
    Fields.version("version", version, VERSION);
    Names.require("cluster", cluster);
    Fields.required("at", at);
    Fields.atLeast("epoch", epoch, 0);
    Fields.required("type", type);
    node = Fields.optional(node);
    node.ifPresent(name -> Names.require("node", name));
    Fields.text("message", message);
    requestId = Fields.optional(requestId);
    requestId.ifPresent(id -> Names.require("requestId", id));
    outcome = Fields.optional(outcome);
    reason = Fields.optional(reason);
  }

  public ClusterEvent(
      String cluster,
      Instant at,
      long epoch,
      EventType type,
      Optional<String> node,
      String message,
      Optional<String> requestId,
      Optional<RequestOutcome> outcome,
      Optional<Reason> reason) {
    this(VERSION, cluster, at, epoch, type, node, message, requestId, outcome, reason);
  }

  /**
   * The log line for this event: the same words, with cluster, node and epoch up front, on one
   * line whatever the message holds (see {@link Printable}).
   */
  public String logLine() {
    return "cluster=" + cluster + " node=" + node.orElse("-") + " epoch=" + epoch + " "
        + type.wire() + ": " + Printable.escape(message)
        + requestId.map(id -> " request=" + id).orElse("")
        + outcome.map(o -> " outcome=" + o.wire()).orElse("")
        + reason.map(r -> " reason=" + r.wire()).orElse("");
  }
}
