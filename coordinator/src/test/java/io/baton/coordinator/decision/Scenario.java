package io.baton.coordinator.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.coordinator.cluster.ClusterState;
import io.baton.coordinator.cluster.PhaseKind;
import io.baton.coordinator.policy.Policy;
import io.baton.events.Assignment;
import io.baton.events.ClusterEvent;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.MasterRecord;
import io.baton.events.OperatorRequest;
import io.baton.events.RequestOutcome;
import io.baton.events.RequestedAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Drives the decider through a story in broker time: {@code at(5.2).tick()}, {@code
 * report(node("n2")...)}, {@code request(...)}; keeps every effect for the assertions.
 */
final class Scenario {
  static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

  private final Decider decider;
  private Optional<ClusterState> state = Optional.empty();
  private Instant now = T0;
  private long sequence;
  private final List<Effect> effects = new ArrayList<>();
  private List<Effect> latest = List.of();
  private int requests;

  Scenario(Policy policy) {
    this.decider = new Decider(policy);
  }

  Scenario() {
    this(Policy.defaults());
  }

  /** A stable three-node cluster: n1 primary at epoch 1, n2 and n3 streaming from it. */
  static Scenario stableCluster() {
    Scenario s = new Scenario();
    s.report(NodeReport.node("n1").primary("0/3000000"));
    s.report(NodeReport.node("n1").primary("0/3000000").accepted(s.assignmentOf("n1")));
    s.report(NodeReport.node("n2").standbyOf("n1", "0/3000000"));
    s.report(NodeReport.node("n3").standbyOf("n1", "0/3000000"));
    s.clearEffects();
    return s;
  }

  Scenario at(double seconds) {
    now = T0.plusMillis(Math.round(seconds * 1000));
    return this;
  }

  Instant now() {
    return now;
  }

  Scenario report(NodeReport report) {
    return apply(decider.onHeartbeat(state, report.build(sequence++, now), now));
  }

  /** The node accepts its newest assignment and reports as given. */
  Scenario accepts(String node, NodeReport report) {
    return report(report.accepted(assignmentOf(node)));
  }

  Scenario tick() {
    return apply(decider.onTick(state.orElseThrow(), now));
  }

  /** Ticks every 100 ms of broker time up to the given second, as the coordinator's clock does. */
  Scenario ticksUntil(double seconds) {
    Instant end = T0.plusMillis(Math.round(seconds * 1000));
    while (now.isBefore(end)) {
      now = now.plusMillis(100);
      if (now.isAfter(end)) {
        now = end;
      }
      tick();
    }
    return this;
  }

  String request(RequestedAction action) {
    String id = "req-" + (++requests);
    request(id, action);
    return id;
  }

  Scenario request(String id, RequestedAction action) {
    OperatorRequest request = new OperatorRequest(id, "orders", "test", now, action);
    return apply(decider.onRequest(state, request, now, now));
  }

  /**
   * A request stamped by its sender at {@code sentSeconds} and appended by the broker at {@code
   * appendedSeconds}, decided now.
   */
  Scenario requestAppendedAt(
      double sentSeconds, double appendedSeconds, String id, RequestedAction action) {
    OperatorRequest request =
        new OperatorRequest(id, "orders", "test", T0.plusMillis(Math.round(sentSeconds * 1000)), action);
    return apply(decider.onRequest(
        state, request, now, T0.plusMillis(Math.round(appendedSeconds * 1000))));
  }

  Scenario restoredFrom(ClusterState stored) {
    state = Optional.of(stored);
    return this;
  }

  private Scenario apply(Decision decision) {
    decision.state().ifPresent(s -> state = Optional.of(s));
    latest = decision.effects();
    effects.addAll(latest);
    // Every scenario checks the contract clients branch on: a refusal or failure says why.
    for (Effect effect : latest) {
      if (effect instanceof Effect.Emit emit) {
        ClusterEvent event = emit.event();
        boolean givenUp = event.outcome()
            .filter(o -> o == RequestOutcome.REFUSED || o == RequestOutcome.FAILED).isPresent();
        assertEquals(givenUp, event.reason().isPresent(), event.logLine());
      }
    }
    return this;
  }

  void clearEffects() {
    effects.clear();
  }

  ClusterState state() {
    return state.orElseThrow();
  }

  PhaseKind phase() {
    return state().phase().kind();
  }

  List<Effect> latest() {
    return latest;
  }

  List<Assignment> assignments() {
    return effects.stream()
        .filter(Effect.Assign.class::isInstance)
        .map(e -> ((Effect.Assign) e).assignment())
        .toList();
  }

  Assignment assignmentOf(String node) {
    return state().node(node).orElseThrow().assignment().orElseThrow(
        () -> new AssertionError(node + " has no assignment"));
  }

  List<MasterRecord> masterRecords() {
    return effects.stream()
        .filter(Effect.PublishMaster.class::isInstance)
        .map(e -> ((Effect.PublishMaster) e).master())
        .toList();
  }

  List<ClusterEvent> events() {
    return effects.stream()
        .filter(Effect.Emit.class::isInstance)
        .map(e -> ((Effect.Emit) e).event())
        .toList();
  }

  List<ClusterEvent> events(EventType type) {
    return events().stream().filter(e -> e.type() == type).toList();
  }

  ClusterEvent onlyEvent(EventType type) {
    List<ClusterEvent> matching = events(type);
    assertEquals(1, matching.size(), () -> type + " events: " + describeEvents());
    return matching.get(0);
  }

  String describeEvents() {
    return events().stream().map(ClusterEvent::logLine).collect(Collectors.joining("\n  ", "\n  ", ""));
  }

  void assertGoal(String node, Class<? extends Goal> goal) {
    assertTrue(
        goal.isInstance(assignmentOf(node).goal()),
        () -> node + " has " + assignmentOf(node).goal() + ", expected " + goal.getSimpleName());
  }

  void assertFollows(String node, String upstream) {
    assertGoal(node, Goal.Standby.class);
    assertEquals(upstream, ((Goal.Standby) assignmentOf(node).goal()).upstream().node());
  }

  void assertNoMasterChange() {
    assertTrue(masterRecords().isEmpty(), () -> "master records: " + masterRecords());
  }

  void assertNoEvent(EventType type) {
    assertFalse(events().stream().anyMatch(e -> e.type() == type), this::describeEvents);
  }

  static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(s * 1000));
  }
}
