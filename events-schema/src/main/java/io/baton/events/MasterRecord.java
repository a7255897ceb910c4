package io.baton.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * Who the primary of a cluster is: the value on the compacted master topic, keyed by cluster.
 * Written only when it changes, with an epoch that only grows; subscribers ignore a record whose
 * epoch is older than one they already applied.
 *
 * @param timeline the primary's timeline after its promotion
 * @param promotedAtLsn its WAL position when it became primary
 * @param since broker time at which it became primary
 * @param reason one sentence: why this node, in the words of the events topic
 */
@JsonPropertyOrder({"version", "cluster", "epoch", "node", "host", "port"})
public record MasterRecord(
    @JsonProperty(required = true) int version,
    @JsonProperty(required = true) String cluster,
    @JsonProperty(required = true) long epoch,
    @JsonProperty(required = true) String node,
    @JsonProperty(required = true) String host,
    @JsonProperty(required = true) int port,
    @JsonProperty(required = true) long timeline,
    @JsonProperty(required = true) Lsn promotedAtLsn,
    @JsonProperty(required = true) Instant since,
    @JsonProperty(required = true) String reason) {

  public static final int VERSION = 1;

  public MasterRecord {
    Fields.version("version", version, VERSION);
    Names.require("cluster", cluster);
    Fields.atLeast("epoch", epoch, 1);
    Names.require("node", node);
    Hosts.require("host", host);
    Fields.port("port", port);
    Fields.atLeast("timeline", timeline, 1);
    Fields.required("promotedAtLsn", promotedAtLsn);
    Fields.required("since", since);
    Fields.text("reason", reason);
  }

  public MasterRecord(
      String cluster,
      long epoch,
      String node,
      String host,
      int port,
      long timeline,
      Lsn promotedAtLsn,
      Instant since,
      String reason) {
    this(VERSION, cluster, epoch, node, host, port, timeline, promotedAtLsn, since, reason);
  }
}
