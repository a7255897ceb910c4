package io.baton.coordinator.cluster;

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
    List<HandledRequest> handledRequests) {

  static final int REMEMBERED_REQUESTS = 32;

  public ClusterState {
    master = master == null ? Optional.empty() : master;
    nodes = nodes == null ? new TreeMap<>() : new TreeMap<>(nodes);
    handledRequests = handledRequests == null ? List.of() : List.copyOf(handledRequests);
  }

  public static ClusterState empty(String cluster, Settings settings) {
    return new ClusterState(
        cluster, 0, 0, Optional.empty(), new TreeMap<>(),
        new Phase.AwaitingPrimary(Optional.empty(), Optional.empty()), settings, SyncState.none(), List.of());
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
    return new ClusterState(
        cluster, epoch, generation, master, next, phase, settings, sync, handledRequests);
  }

  public ClusterState withPhase(Phase next) {
    return new ClusterState(
        cluster, epoch, generation, master, nodes, next, settings, sync, handledRequests);
  }

  public ClusterState withEpoch(long nextEpoch) {
    return new ClusterState(
        cluster, nextEpoch, generation, master, nodes, phase, settings, sync, handledRequests);
  }

  public ClusterState withGeneration(long nextGeneration) {
    return new ClusterState(
        cluster, epoch, nextGeneration, master, nodes, phase, settings, sync, handledRequests);
  }

  public ClusterState withMaster(MasterRecord record) {
    return new ClusterState(
        cluster, epoch, generation, Optional.of(record), nodes, phase, settings, sync,
        handledRequests);
  }

  public ClusterState withSettings(Settings next) {
    return new ClusterState(
        cluster, epoch, generation, master, nodes, phase, next, sync, handledRequests);
  }

  public ClusterState withSync(SyncState next) {
    return new ClusterState(
        cluster, epoch, generation, master, nodes, phase, settings, next, handledRequests);
  }

  public ClusterState withHandled(HandledRequest request) {
    List<HandledRequest> next = new ArrayList<>(handledRequests);
    next.removeIf(r -> r.requestId().equals(request.requestId()));
    next.add(request);
    if (next.size() > REMEMBERED_REQUESTS) {
      next = next.subList(next.size() - REMEMBERED_REQUESTS, next.size());
    }
    return new ClusterState(cluster, epoch, generation, master, nodes, phase, settings, sync, next);
  }
}
