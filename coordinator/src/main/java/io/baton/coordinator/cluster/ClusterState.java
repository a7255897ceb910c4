package io.baton.coordinator.cluster;

import io.baton.events.DataDirectoryStatus;
import io.baton.events.MasterRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything the coordinator knows about one cluster. Decisions are a pure function of this
 * state and one input; the nodes are kept sorted so that ties break the same way on every replay.
 *
 * @param epoch the master epoch: grows with every new primary; 0 before the first
 * @param generation the newest assignment generation issued for the cluster
 * @param handledRequests the last few answered requests, oldest first
 * @param timelineFloor the highest timeline a node reported or a promotion may have taken: the
 *     next promotion takes one above it (see {@link io.baton.events.Goal.Primary#timelineAbove()})
 */
public record ClusterState(
    String cluster,
    long epoch,
    long generation,
    Optional<MasterRecord> master,
    SortedMap<String, NodeView> nodes,
    Phase phase,
    Settings settings,
    SyncState sync,
    List<HandledRequest> handledRequests,
    long timelineFloor) {

  static final int REMEMBERED_REQUESTS = 32;

  public ClusterState {
    master = master == null ? Optional.empty() : master;
    nodes = nodes == null ? new TreeMap<>() : new TreeMap<>(nodes);
    handledRequests = handledRequests == null ? List.of() : List.copyOf(handledRequests);
  }

  public static ClusterState empty(String cluster, Settings settings) {
    return new ClusterState(
        cluster, 0, 0, Optional.empty(), new TreeMap<>(),
        new Phase.AwaitingPrimary(Optional.empty(), Optional.empty()), settings, SyncState.none(),
        List.of(), 0);
  }

  public Optional<String> masterNode() {
    return master.map(MasterRecord::node);
  }

  public Optional<NodeView> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  public Stream<NodeView> nodeViews() {
    return nodes.values().stream();
  }

  public Optional<HandledRequest> handled(String requestId) {
    return handledRequests.stream().filter(r -> r.requestId().equals(requestId)).findFirst();
  }

  public ClusterState withNode(NodeView view) {
    SortedMap<String, NodeView> next = new TreeMap<>(nodes);
    next.put(view.name(), view);
    long floor = Math.max(timelineFloor, Math.max(view.timeline(), view.postgres().dataDirectory()
        .map(DataDirectoryStatus::timeline).orElse(0L)));
    return new ClusterState(
        cluster, epoch, generation, master, next, phase, settings, sync, handledRequests, floor);
  }

  public ClusterState withPhase(Phase next) {
    return new ClusterState(
        cluster, epoch, generation, master, nodes, next, settings, sync, handledRequests,
        timelineFloor);
  }

  public ClusterState withEpoch(long nextEpoch) {
    return new ClusterState(
        cluster, nextEpoch, generation, master, nodes, phase, settings, sync, handledRequests,
        timelineFloor);
  }

  public ClusterState withGeneration(long nextGeneration) {
    return new ClusterState(
        cluster, epoch, nextGeneration, master, nodes, phase, settings, sync, handledRequests,
        timelineFloor);
  }

  public ClusterState withMaster(MasterRecord record) {
    return new ClusterState(
        cluster, epoch, generation, Optional.of(record), nodes, phase, settings, sync,
        handledRequests, Math.max(timelineFloor, record.timeline()));
  }

  public ClusterState withSettings(Settings next) {
    return new ClusterState(
        cluster, epoch, generation, master, nodes, phase, next, sync, handledRequests,
        timelineFloor);
  }

  public ClusterState withSync(SyncState next) {
    return new ClusterState(
        cluster, epoch, generation, master, nodes, phase, settings, next, handledRequests, timelineFloor);
  }

  /** After a promotion under {@code timelineAbove}: the timeline it may have taken is spoken for. */
  public ClusterState withTimelineTaken(long timeline) {
    return new ClusterState(cluster, epoch, generation, master, nodes, phase, settings, sync,
        handledRequests, Math.max(timelineFloor, timeline));
  }

  public ClusterState withHandled(HandledRequest request) {
    List<HandledRequest> next = new ArrayList<>(handledRequests);
    next.removeIf(r -> r.requestId().equals(request.requestId()));
    next.add(request);
    if (next.size() > REMEMBERED_REQUESTS) {
      next = next.subList(next.size() - REMEMBERED_REQUESTS, next.size());
    }
    return new ClusterState(
        cluster, epoch, generation, master, nodes, phase, settings, sync, next, timelineFloor);
  }
}
