package io.baton.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * A request to the coordinator on the requests topic, keyed by cluster: from the CLI, the
 * coordinator's HTTP API, or an agent's preStop handover. The coordinator answers on the events
 * topic with events that carry the same {@link #requestId}; a request id it already handled is
 * answered again, not acted on twice.
 *
 * @param requestId a name, unique per request (a UUID fits)
 * @param requestedBy who asked, for the events topic: {@code cli}, {@code http}, {@code
 *     handover:n1}...
 */
@JsonPropertyOrder({"version", "requestId", "cluster", "requestedBy", "requestedAt", "action"})
public record OperatorRequest(
    @JsonProperty(required = true) int version,
    @JsonProperty(required = true) String requestId,
    @JsonProperty(required = true) String cluster,
    @JsonProperty(required = true) String requestedBy,
    @JsonProperty(required = true) Instant requestedAt,
    @JsonProperty(required = true) RequestedAction action) {

  public static final int VERSION = 1;

  public OperatorRequest {
    Fields.version("version", version, VERSION);
    Names.require("requestId", requestId);
    Names.require("cluster", cluster);
    Fields.text("requestedBy", requestedBy);
    Fields.required("requestedAt", requestedAt);
    Fields.required("action", action);
  }

  public OperatorRequest(
      String requestId,
      String cluster,
      String requestedBy,
      Instant requestedAt,
      RequestedAction action) {
    this(VERSION, requestId, cluster, requestedBy, requestedAt, action);
  }
}
