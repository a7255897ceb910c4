package io.baton.coordinator.decision;

import io.baton.coordinator.cluster.ClusterFloor;
import io.baton.coordinator.cluster.ClusterState;
import io.baton.coordinator.cluster.PhaseKind;
import io.baton.coordinator.cluster.Settings;
import io.baton.coordinator.policy.Policy;
import io.baton.events.EventType;
import io.baton.events.Heartbeat;
import io.baton.events.OperatorRequest;
import io.baton.events.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides, for one cluster and one input, what happens next. Split by input, as the inputs
 * arrive: a heartbeat, a clock tick, an operator request. Each folds the input into the state,
 * then walks the {@link TransitionTable} until no row fires.
 */
public final class Decider {
  /** More than any chain of transitions one input can cause: exceeding it means a rule is not idempotent. */
  private static final int MAX_TRANSITIONS = 24;

  private final Policy policy;
  private final Function<String, ClusterFloor> floors;

  public Decider(Policy policy) {
    this(policy, cluster -> ClusterFloor.NONE);
  }

  /**
   * @param floors the highest epoch and generation already published for a cluster, for clusters
   *     whose state this coordinator does not have
   */
  public Decider(Policy policy, Function<String, ClusterFloor> floors) {
    this.policy = policy;
    this.floors = floors;
  }

  public Decision onHeartbeat(Optional<ClusterState> state, Heartbeat heartbeat, Instant brokerTime) {
    ClusterState current = state.orElseGet(() -> initial(heartbeat.cluster()));
    if (Observations.isStale(current, heartbeat)) {
      return new Decision(state, List.of());
    }
    Change change = new Change(current, brokerTime, policy, Optional.empty());
    Observations.record(change, heartbeat);
    return settle(change);
  }

  public Decision onTick(ClusterState state, Instant brokerTime) {
    return settle(new Change(state, brokerTime, policy, Optional.empty()));
  }

  /**
   * @param request as verified: {@code requestedBy} is the operator whose key signed it
   * @param appendedAt the broker's append time of the request record: its time-to-live runs
   *     from here, not from the sender's clock
   */
  public Decision onRequest(
      Optional<ClusterState> state, OperatorRequest request, Instant brokerTime,
      Instant appendedAt) {
    if (state.isEmpty()) {
      Change refusal = new Change(initial(request.cluster()), brokerTime, policy, Optional.of(request));
      refusal.refuse(
          request.requestId(), EventType.REQUEST_REFUSED, Optional.empty(),
          Reason.UNKNOWN_CLUSTER,
          request.action().type() + " refused: unknown cluster '" + request.cluster()
              + "': no agent of it has sent a heartbeat");
      return new Decision(Optional.empty(), refusal.decision().effects());
    }
    Change change = new Change(state.get(), brokerTime, policy, Optional.of(request));
    Requests.refuseIfExpired(change, request, appendedAt);
    Requests.answerDirectly(change, request);
    return settle(change);
  }

  private ClusterState initial(String cluster) {
    ClusterFloor floor = floors.apply(cluster);
    return ClusterState.empty(cluster, new Settings(policy.defaultReplicationMode(), false))
        .withEpoch(floor.epoch())
        .withGeneration(floor.generation())
        .withTimelineTaken(floor.timeline());
  }

  private static Decision settle(Change change) {
    Observations.markLost(change);
    if (change.pendingRequest().isEmpty()) {
      Handovers.pending(change.state(), change.now()).ifPresent(change::considerHandover);
    }
    for (int fired = 0; ; fired++) {
      PhaseKind phase = change.state().phase().kind();
      Facts facts = new Facts(change);
      Optional<Transition> transition =
          TransitionTable.ROWS.stream()
              .filter(row -> row.from() == phase)
              .filter(row -> row.when().test(facts))
              .findFirst();
      if (transition.isEmpty()) {
        break;
      }
      transition.get().then().accept(facts, change);
      PhaseKind reached = change.state().phase().kind();
      if (reached != transition.get().to()) {
        throw new IllegalStateException(
            "transition " + transition.get().name() + " reached " + reached.wire()
                + " instead of " + transition.get().to().wire());
      }
      if (fired >= MAX_TRANSITIONS) {
        throw new IllegalStateException(
            "transitions did not settle for cluster " + change.state().cluster()
                + "; last: " + transition.get().name());
      }
    }
    if (!change.isHandover()) {
      change.pendingRequest().ifPresent(request -> Requests.refuseLeftover(change, request));
    }
    return change.decision();
  }
}
