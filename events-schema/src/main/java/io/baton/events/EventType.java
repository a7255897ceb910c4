package io.baton.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of decisions and observations on the events topic. */
public enum EventType {
  // nodes
  NODE_DISCOVERED,
  NODE_LOST,
  NODE_RETURNED,
  NODE_LEAVING,
  NODE_UNHEALTHY,
  NODE_HEALTHY,
  STANDBY_FOLLOWING,
  NODE_REJOINED,
  UNEXPECTED_PRIMARY,
  // the primary
  PRIMARY_ADOPTED,
  ADOPTION_BLOCKED,
  PRIMARY_LOST,
  FAILOVER_REQUESTED,
  FAILOVER_BLOCKED,
  CANDIDATE_CHOSEN,
  PROMOTED,
  PROMOTION_FAILED,
  PRIMARY_REINSTATED,
  PRIMARY_RENEWED,
  // planned switchover
  SWITCHOVER_STARTED,
  SWITCHOVER_PROGRESS,
  SWITCHOVER_COMPLETED,
  SWITCHOVER_ABORTED,
  SWITCHOVER_REFUSED,
  // replication policy
  SYNC_STANDBYS_CHANGED,
  REPLICATION_DEGRADED,
  REPLICATION_MODE_CHANGED,
  MAINTENANCE_CHANGED,
  // input the coordinator could not use
  REQUEST_REFUSED,
  MALFORMED_RECORD,
  UNVERIFIED_RECORD,
  FENCING_MARGIN_TOO_SMALL;

  @JsonValue
  public String wire() {
    return Wire.name(this);
  }

  @JsonCreator
  public static EventType of(String text) {
    return Wire.parse(EventType.class, text);
  }
}
