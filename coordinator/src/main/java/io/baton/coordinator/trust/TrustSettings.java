package io.baton.coordinator.trust;

import java.util.Set;

/**
 * What the coordinator believes.
 *
 * @param operators the operators whose signed requests and enrollments count
 * @param unverifiedClusters clusters being migrated to enrollment: there, a heartbeat of a node
 *     that is not enrolled is believed unsigned (enrolled nodes are verified as everywhere).
 *     Anyone who can write the heartbeats topic can move their primary: for demos, tests and the
 *     time it takes to enroll an existing cluster's nodes
 */
public record TrustSettings(OperatorKeys operators, Set<String> unverifiedClusters) {
  public TrustSettings {
    unverifiedClusters = Set.copyOf(unverifiedClusters);
  }

  public static TrustSettings of(OperatorKeys operators) {
    return new TrustSettings(operators, Set.of());
  }

  public boolean acceptsUnenrolled(String cluster) {
    return unverifiedClusters.contains(cluster);
  }
}
