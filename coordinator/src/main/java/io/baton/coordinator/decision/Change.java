package io.baton.coordinator.decision;

import io.baton.coordinator.cluster.ClusterState;
import io.baton.coordinator.cluster.HandledRequest;
import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.Phase;
import io.baton.coordinator.policy.Policy;
import io.baton.events.Assignment;
import io.baton.events.ClusterEvent;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.MasterRecord;
import io.baton.events.OperatorRequest;
import io.baton.events.Reason;
import io.baton.events.RequestOutcome;
import io.baton.events.Upstream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The decision being built for one input: the state as it evolves and the effects so far. Rules
 * read {@link #state()} and call the methods below; a rule that does not fire changes nothing.
 */
public final class Change {
  private ClusterState state;
  private final Instant now;
  private final Policy policy;
  private Optional<OperatorRequest> request;
  private boolean fromHandover;
  private boolean requestAnswered;
  private final List<Effect> effects = new ArrayList<>();

  Change(ClusterState state, Instant now, Policy policy, Optional<OperatorRequest> request) {
    this.state = state;
    this.now = now;
    this.policy = policy;
    this.request = request;
  }

  public ClusterState state() {
    return state;
  }

  public Instant now() {
    return now;
  }

  public Policy policy() {
    return policy;
  }

  /** The operator request being decided, until a rule has answered it. */
  public Optional<OperatorRequest> pendingRequest() {
    return requestAnswered ? Optional.empty() : request;
  }

  /**
   * Decides a node's handover as a switchover request, when this input carries no request of
   * its own. Unlike an operator's request, one no rule took is not refused: the node keeps
   * asking in its heartbeats, and the next input tries again.
   */
  void considerHandover(OperatorRequest handover) {
    if (request.isPresent()) {
      throw new IllegalStateException("a handover is only considered without another request");
    }
    request = Optional.of(handover);
    fromHandover = true;
  }

  boolean isHandover() {
    return fromHandover;
  }

  public NodeView node(String name) {
    return state.node(name).orElseThrow(() -> new IllegalStateException("unknown node " + name));
  }

  public Optional<NodeView> master() {
    return state.masterNode().flatMap(state::node);
  }

  void replace(ClusterState next) {
    state = next;
  }

  public void phase(Phase next) {
    state = state.withPhase(next);
  }

  public void node(NodeView view) {
    state = state.withNode(view);
  }

  /** Starts a new master epoch: the next primary assignment and master record carry it. */
  public void newEpoch() {
    state = state.withEpoch(state.epoch() + 1);
  }

  /** Issues a goal state to a node with the next generation. */
  public Assignment assign(String node, Goal goal, String reason) {
    long generation = state.generation() + 1;
    Assignment assignment =
        new Assignment(
            state.cluster(), node, Math.max(1, state.epoch()), generation, goal,
            policy.failoverAfter(), reason, now);
    state = state.withGeneration(generation).withNode(node(node).withAssignment(assignment));
    effects.add(new Effect.Assign(assignment));
    return assignment;
  }

  /** Tells a node to replicate from the current master. */
  public void follow(String node, NodeView master, String reason) {
    Upstream upstream =
        new Upstream(master.name(), master.postgres().host(), master.postgres().port());
    assign(node, new Goal.Standby(upstream), reason);
  }

  public void publishMaster(MasterRecord record) {
    state = state.withMaster(record);
    effects.add(new Effect.PublishMaster(record));
  }

  public void emit(EventType type, Optional<String> node, String message) {
    effects.add(
        new Effect.Emit(
            new ClusterEvent(
                state.cluster(), now, state.epoch(), type, node, message, Optional.empty(),
                Optional.empty(), Optional.empty())));
  }

  public void emit(EventType type, String node, String message) {
    emit(type, Optional.of(node), message);
  }

  /**
   * Answers an operator request on the events topic with progress or success; a final answer is
   * remembered so that a repeat of the request gets the same answer.
   */
  public void answer(
      String requestId, EventType type, Optional<String> node, String message,
      RequestOutcome outcome) {
    if (outcome == RequestOutcome.REFUSED || outcome == RequestOutcome.FAILED) {
      throw new IllegalArgumentException(outcome + " needs a reason: use refuse or fail");
    }
    record(new HandledRequest(requestId, type, outcome, message, Optional.empty()), node);
  }

  /** Refuses an operator request: nothing was changed. */
  public void refuse(
      String requestId, EventType type, Optional<String> node, Reason reason, String message) {
    record(new HandledRequest(requestId, type, RequestOutcome.REFUSED, message,
        Optional.of(reason)), node);
  }

  /** Answers that an operation was given up, saying what state it left the cluster in. */
  public void fail(
      String requestId, EventType type, Optional<String> node, Reason reason, String message) {
    record(new HandledRequest(requestId, type, RequestOutcome.FAILED, message,
        Optional.of(reason)), node);
  }

  /** Answers a repeated request as it was answered the first time. */
  public void repeat(HandledRequest first) {
    effects.add(new Effect.Emit(event(first, "already answered: " + first.message(),
        Optional.empty())));
    requestAnswered |= request.filter(r -> r.requestId().equals(first.requestId())).isPresent();
  }

  private void record(HandledRequest answer, Optional<String> node) {
    effects.add(new Effect.Emit(event(answer, answer.message(), node)));
    if (answer.outcome().isFinal()) {
      state = state.withHandled(answer);
    }
    requestAnswered |= request.filter(r -> r.requestId().equals(answer.requestId())).isPresent();
  }

  private ClusterEvent event(HandledRequest answer, String message, Optional<String> node) {
    return new ClusterEvent(
        state.cluster(), now, state.epoch(), answer.type(), node, message,
        Optional.of(answer.requestId()), Optional.of(answer.outcome()), answer.reason());
  }

  Decision decision() {
    return new Decision(Optional.of(state), effects);
  }
}
