package io.baton.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * A request to the coordinator on the requests topic, keyed by cluster: from the CLI or the
 * coordinator's HTTP API, signed by an operator's key (the signature and the operator's name in
 * record headers, {@link io.baton.events.signing.SignatureHeaders}). The coordinator answers on
 * the events topic with events that carry the same {@link #requestId}; a request id it already
 * handled is answered again, not acted on twice.
 *
 * @param requestId a name, unique per request (a UUID fits)
 * @param requestedBy who asked: the sender writes its operator name; the coordinator acts only
 *     on the name whose key verified the signature, never on this field
 * @param requestedAt the sender's clock; the time-to-live runs from the broker's append time,
 *     and this only serves to refuse a request replayed long after it was signed
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

  /** The same request, as asked by {@code verifiedOperator}. */
  public OperatorRequest requestedBy(String verifiedOperator) {
    return new OperatorRequest(version, requestId, cluster, verifiedOperator, requestedAt, action);
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
