package io.baton.coordinator.cluster;

/**
 * The highest master epoch, assignment generation and timeline a cluster already had on Kafka. A
 * coordinator whose state was lost starts the cluster above them: agents ignore assignments that
 * are not newer than the one they accepted, and subscribers master records that are not newer than
 * the one they applied, so starting again at 1 would make everything it says ignored; and a
 * promotion that was never reported may have taken a timeline no heartbeat shows.
 */
public record ClusterFloor(long epoch, long generation, long timeline) {
  public static final ClusterFloor NONE = new ClusterFloor(0, 0, 0);

  public ClusterFloor max(ClusterFloor other) {
    return new ClusterFloor(Math.max(epoch, other.epoch), Math.max(generation, other.generation),
        Math.max(timeline, other.timeline));
  }
}
