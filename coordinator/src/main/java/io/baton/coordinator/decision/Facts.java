package io.baton.coordinator.decision;

import io.baton.coordinator.candidate.CandidateChooser;
import io.baton.coordinator.candidate.CandidateChooser.Choice;
import io.baton.coordinator.cluster.ClusterState;
import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.Phase;
import io.baton.coordinator.policy.Policy;
import io.baton.coordinator.replication.SyncPlanner;
import io.baton.events.OperatorRequest;
import io.baton.events.RequestedAction;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What holds in a cluster at one step of a decision: the lost or relinquished primary, the
 * failover choice, the switchover verdict, the synchronous standby plan. Each is computed at most
 * once per step, the first time a guard asks, from the state as it stood when the step began; the
 * table's guards are questions over these facts, and its actions act on the same answers.
 */
public final class Facts {
  private final ClusterState state;
  private final Instant now;
  private final Policy policy;
  private final Optional<OperatorRequest> request;
  private final Map<String, Object> known = new HashMap<>();

  Facts(Change change) {
    this.state = change.state();
    this.now = change.now();
    this.policy = change.policy();
    this.request = change.pendingRequest();
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

  public NodeView node(String name) {
    return state.node(name).orElseThrow(() -> new IllegalStateException("unknown node " + name));
  }

  public Optional<NodeView> master() {
    return state.masterNode().flatMap(state::node);
  }

  /** The master of a cluster that has one (every phase past awaiting-primary). */
  public NodeView requireMaster() {
    return master().orElseThrow(() -> new IllegalStateException("no master in " + state.phase()));
  }

  public <P extends Phase> P phase(Class<P> kind) {
    return kind.cast(state.phase());
  }

  public boolean isLost(NodeView node) {
    return policy.isLost(node, now);
  }

  /** No heartbeat from the master for its failover timeout of broker time. */
  public boolean masterLost() {
    return master().filter(this::isLost).isPresent();
  }

  /** The master's agent gave up, for good, the newest primary role it was assigned. */
  public boolean masterRelinquished() {
    return master().filter(NodeView::relinquishedPrimary).isPresent();
  }

  /** The operator request being decided, if it asks for this kind of action. */
  public <A extends RequestedAction> Optional<OperatorRequest> request(Class<A> kind) {
    return request.filter(r -> kind.isInstance(r.action()));
  }

  public Adoption.Verdict adoption() {
    return memo("adoption", () -> Adoption.verdict(this));
  }

  /** What to do with the switchover request being decided; empty when there is none. */
  public Optional<Switchovers.Verdict> switchover() {
    return memo("switchover", () -> request(RequestedAction.Switchover.class)
        .map(r -> Switchovers.verdict(this, r)));
  }

  /** The candidate to replace the lost primary of a primary-lost cluster, or why there is none. */
  public Choice failoverChoice() {
    return memo("failover", () -> CandidateChooser.forFailover(
        state, phase(Phase.PrimaryLost.class), now, policy));
  }

  /** The synchronous standbys the master should have now. */
  public SyncPlanner.Plan syncPlan() {
    return memo("sync", () -> SyncPlanner.plan(state, now, policy));
  }

  @SuppressWarnings("unchecked")
  private <T> T memo(String name, Supplier<T> compute) {
    Object value = known.get(name);
    if (value == null) {
      value = compute.get();
      known.put(name, value);
    }
    return (T) value;
  }
}
