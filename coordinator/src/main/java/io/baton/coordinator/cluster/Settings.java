package io.baton.coordinator.cluster;

import io.baton.events.ReplicationMode;

/** A cluster's operator-set policy: changed by requests, kept in the cluster state. */
public record Settings(ReplicationMode replicationMode, boolean maintenance) {
  public Settings withReplicationMode(ReplicationMode mode) {
    return new Settings(mode, maintenance);
  }

  public Settings withMaintenance(boolean enabled) {
    return new Settings(replicationMode, enabled);
  }
}
