package io.baton.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A cluster's replication policy, managed by the coordinator. */
public enum ReplicationMode {
  /** Commits do not wait for standbys; a failover may lose the last acknowledged writes. */
  ASYNC,
  /**
   * Commits wait for one synchronous standby, which is the only promotable node. When no healthy
   * standby is left the primary keeps accepting writes without one, and no automatic failover
   * happens until a standby is synchronous again.
   */
  SYNC,
  /** As {@link #SYNC}, but writes stay blocked rather than ever run without a synchronous standby. */
  STRICT_SYNC;

  @JsonValue
  public String wire() {
    return Wire.name(this);
  }

  @JsonCreator
  public static ReplicationMode of(String text) {
    return Wire.parse(ReplicationMode.class, text);
  }

  public boolean synchronous() {
    return this != ASYNC;
  }
}
