package io.baton.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Optional;

/** What an {@link OperatorRequest} asks for. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = RequestedAction.Switchover.class, name = "switchover"),
  @JsonSubTypes.Type(value = RequestedAction.Failover.class, name = "failover"),
  @JsonSubTypes.Type(value = RequestedAction.SetReplicationMode.class, name = "set-replication-mode"),
  @JsonSubTypes.Type(value = RequestedAction.SetMaintenance.class, name = "set-maintenance")
})
public sealed interface RequestedAction {

  @JsonIgnore
  String type();

  /**
   * Hand the primary role over with no data loss.
   *
   * @param from only if this node is still the primary (a preStop handover names itself);
   *     otherwise the request is answered as already done
   * @param to the target; when absent the coordinator picks the best standby
   */
  record Switchover(Optional<String> from, Optional<String> to) implements RequestedAction {
    public Switchover {
      from = Fields.optional(from);
      to = Fields.optional(to);
      from.ifPresent(node -> Names.require("from", node));
      to.ifPresent(node -> Names.require("to", node));
    }

    @Override
    public String type() {
      return "switchover";
    }
  }

  /**
   * Promote a standby while the primary is lost. Refused while the primary is healthy (that is a
   * switchover).
   *
   * @param force promote even a candidate that lags more than {@code maximum-lag-on-failover}, or
   *     in synchronous mode a standby that is not synchronous: acknowledged writes may be lost
   */
  record Failover(Optional<String> to, @JsonProperty(required = true) boolean force)
      implements RequestedAction {
    public Failover {
      to = Fields.optional(to);
      to.ifPresent(node -> Names.require("to", node));
    }

    @Override
    public String type() {
      return "failover";
    }
  }

  record SetReplicationMode(@JsonProperty(required = true) ReplicationMode mode)
      implements RequestedAction {
    public SetReplicationMode {
      Fields.required("mode", mode);
    }

    @Override
    public String type() {
      return "set-replication-mode";
    }
  }

  /** In maintenance the coordinator neither fails over nor switches over; it only watches. */
  record SetMaintenance(@JsonProperty(required = true) boolean enabled) implements RequestedAction {
    @Override
    public String type() {
      return "set-maintenance";
    }
  }
}
