package io.baton.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The node a standby replicates from, and where to reach it. */
public record Upstream(
    @JsonProperty(required = true) String node,
    @JsonProperty(required = true) String host,
    @JsonProperty(required = true) int port) {

  public Upstream {
    Names.require("node", node);
    Hosts.require("host", host);
    Fields.port("port", port);
  }
}
