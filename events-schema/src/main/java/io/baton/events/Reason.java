package io.baton.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a request was refused or an operation given up, for programs: a client branches on this,
 * never on the message, whose words may change.
 */
public enum Reason {
  /** No agent of the cluster has sent a heartbeat. */
  UNKNOWN_CLUSTER,
  /** Not signed by an operator the coordinator knows and allows for the cluster. */
  UNVERIFIED,
  /** Decided after request-time-to-live, or signed too far from when it was appended. */
  EXPIRED,
  /** The cluster has no primary yet. */
  NO_PRIMARY,
  /** A failover was asked for while the primary is healthy: a switchover is the planned way. */
  PRIMARY_HEALTHY,
  /** Another operation is in progress: ask again once it is over. */
  BUSY,
  /** The cluster is in maintenance mode. */
  MAINTENANCE,
  /** No standby can take over. */
  NO_CANDIDATE,
  /** The switchover target stopped being fit to take over (lost, lagging, not streaming). */
  TARGET_UNFIT,
  /** A step did not finish within its timeout. */
  TIMED_OUT,
  /** The primary was lost during the operation: a failover follows. */
  PRIMARY_LOST,
  /** The target gave up before promoting: the old primary resumes. */
  TARGET_GAVE_UP,
  /** The target was lost or gave up after it may have promoted: a failover follows. */
  PROMOTION_FAILED;

  @JsonValue
  public String wire() {
    return Wire.name(this);
  }

  @JsonCreator
  public static Reason of(String text) {
    return Wire.parse(Reason.class, text);
  }
}
