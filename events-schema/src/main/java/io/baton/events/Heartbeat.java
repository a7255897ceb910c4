package io.baton.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * What an agent saw of its PostgreSQL, published to the heartbeats topic keyed by cluster.
 *
 * <p>Liveness is judged by the record's broker append time (the topic uses {@code
 * LogAppendTime}), never by {@link #sentAt}, which is the agent's own clock and only shown to
 * people.
 *
 * @param incarnation a fresh id each time the agent process starts (a name: a UUID fits)
 * @param sequence counts heartbeats within one incarnation, so reordering can be detected
 */
@JsonPropertyOrder({"version", "cluster", "node", "incarnation", "sequence", "sentAt"})
public record Heartbeat(
    @JsonProperty(required = true) int version,
    @JsonProperty(required = true) String cluster,
    @JsonProperty(required = true) String node,
    @JsonProperty(required = true) String incarnation,
    @JsonProperty(required = true) long sequence,
    @JsonProperty(required = true) Instant sentAt,
    @JsonProperty(required = true) PostgresStatus postgres,
    @JsonProperty(required = true) AgentStatus agent) {

  public static final int VERSION = 1;

  public Heartbeat {
    Fields.version("version", version, VERSION);
    Names.require("cluster", cluster);
    Names.require("node", node);
    Names.require("incarnation", incarnation);
    Fields.atLeast("sequence", sequence, 0);
    Fields.required("sentAt", sentAt);
    Fields.required("postgres", postgres);
    Fields.required("agent", agent);
  }

  public Heartbeat(
      String cluster,
      String node,
      String incarnation,
      long sequence,
      Instant sentAt,
      PostgresStatus postgres,
      AgentStatus agent) {
    this(VERSION, cluster, node, incarnation, sequence, sentAt, postgres, agent);
  }
}
