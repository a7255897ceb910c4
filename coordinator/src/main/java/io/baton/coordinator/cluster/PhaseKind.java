package io.baton.coordinator.cluster;

/** The phases of a cluster, as named in the transition table. */
public enum PhaseKind {
  AWAITING_PRIMARY,
  STABLE,
  PRIMARY_LOST,
  PROMOTING,
  SWITCHOVER_SYNCING,
  SWITCHOVER_DRAINING;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
