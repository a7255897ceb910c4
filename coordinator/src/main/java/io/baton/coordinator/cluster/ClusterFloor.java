package io.baton.coordinator.cluster;

/**
 * The highest master epoch and assignment generation a cluster already had on Kafka. A coordinator
 * whose state was lost starts the cluster above them: agents ignore assignments that are not newer
 * than the one they accepted, and subscribers master records that are not newer than the one they
 * applied, so starting again at 1 would make everything it says ignored.
 */
public record ClusterFloor(long epoch, long generation) {
  public static final ClusterFloor NONE = new ClusterFloor(0, 0);

  public ClusterFloor max(ClusterFloor other) {
    return new ClusterFloor(Math.max(epoch, other.epoch), Math.max(generation, other.generation));
  }
}
