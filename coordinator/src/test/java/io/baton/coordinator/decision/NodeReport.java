package io.baton.coordinator.decision;

import io.baton.events.AgentStatus;
import io.baton.events.Assignment;
import io.baton.events.AssignmentRef;
import io.baton.events.Convergence;
import io.baton.events.DataDirectoryStatus;
import io.baton.events.Health;
import io.baton.events.Heartbeat;
import io.baton.events.Lsn;
import io.baton.events.PostgresStatus;
import io.baton.events.ReceiverStatus;
import io.baton.events.ReplicaStatus;
import io.baton.events.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Builds the heartbeat an agent would send: {@code node("n2").standbyOf("n1").received("0/3000000")}. */
public final class NodeReport {
  static final String SYSTEM = "7312345678901234567";
  private final String name;
  private Health health = Health.UP;
  private Role role = Role.STANDBY;
  private long timeline = 1;
  private Optional<Lsn> current = Optional.empty();
  private Optional<Lsn> received = Optional.empty();
  private Optional<String> upstream = Optional.empty();
  private final List<ReplicaStatus> replicas = new ArrayList<>();
  private String syncNames = "";
  private Optional<DataDirectoryStatus> dataDirectory = Optional.empty();
  private Optional<AssignmentRef> accepted = Optional.empty();
  private OptionalLong relinquished = OptionalLong.empty();
  private Optional<Lsn> drainedAt = Optional.empty();
  private boolean fenced;
  private boolean leaving;
  private boolean noFailover;
  private int priority = 100;
  private Duration fenceAfter = Duration.ofSeconds(3);
  private String system = SYSTEM;
  private String incarnation;
  private Optional<String> handover = Optional.empty();
  private String host = "127.0.0.1";

  private NodeReport(String name) {
    this.name = name;
    this.incarnation = name + "-1";
  }

  public static NodeReport node(String name) {
    return new NodeReport(name);
  }

  public static int port(String node) {
    return 5430 + Integer.parseInt(node.substring(1));
  }

  public NodeReport primary(String lsn) {
    role = Role.PRIMARY;
    current = Optional.of(Lsn.parse(lsn));
    received = Optional.empty();
    upstream = Optional.empty();
    return this;
  }

  public NodeReport standbyOf(String primary, String receivedLsn) {
    role = Role.STANDBY;
    upstream = Optional.of(primary);
    received = Optional.of(Lsn.parse(receivedLsn));
    current = Optional.empty();
    return this;
  }

  /** A standby whose WAL receiver is not streaming (its primary is gone). */
  public NodeReport standbyAt(String receivedLsn) {
    role = Role.STANDBY;
    upstream = Optional.empty();
    received = Optional.of(Lsn.parse(receivedLsn));
    current = Optional.empty();
    return this;
  }

  public NodeReport replica(String standby, String syncState, String flushLsn) {
    Optional<Lsn> flush = Optional.of(Lsn.parse(flushLsn));
    replicas.add(
        new ReplicaStatus(
            standby, Optional.of("127.0.0.1"), "streaming", syncState, flush, flush, flush, flush));
    return this;
  }

  public NodeReport synchronousStandbyNames(String value) {
    syncNames = value;
    return this;
  }

  /** PostgreSQL not running; the data directory says what it was. */
  public NodeReport down(String state, String checkpoint, boolean standbySignal) {
    health = Health.DOWN;
    role = Role.UNKNOWN;
    current = Optional.empty();
    received = Optional.empty();
    upstream = Optional.empty();
    replicas.clear();
    dataDirectory =
        Optional.of(
            new DataDirectoryStatus(state, Lsn.parse(checkpoint), timeline, system, standbySignal));
    return this;
  }

  public NodeReport unreachable() {
    health = Health.UNREACHABLE;
    role = Role.UNKNOWN;
    return this;
  }

  public NodeReport timeline(long value) {
    timeline = value;
    return this;
  }

  public NodeReport accepted(Assignment assignment) {
    accepted = Optional.of(AssignmentRef.of(assignment));
    return this;
  }

  public NodeReport relinquished(long generation) {
    relinquished = OptionalLong.of(generation);
    return this;
  }

  public NodeReport drainedAt(String lsn) {
    drainedAt = Optional.of(Lsn.parse(lsn));
    return this;
  }

  public NodeReport fenced() {
    fenced = true;
    return this;
  }

  public NodeReport leaving() {
    leaving = true;
    return this;
  }

  public NodeReport noFailover() {
    noFailover = true;
    return this;
  }

  public NodeReport priority(int value) {
    priority = value;
    return this;
  }

  public NodeReport fenceAfter(Duration value) {
    fenceAfter = value;
    return this;
  }

  public NodeReport system(String identifier) {
    system = identifier;
    return this;
  }

  /** The node is leaving and asks, under this id, for its primary role to be handed over. */
  public NodeReport handover(String requestId) {
    leaving = true;
    handover = Optional.of(requestId);
    return this;
  }

  /** Reports another address than where it is enrolled. */
  public NodeReport host(String address) {
    host = address;
    return this;
  }

  public NodeReport restarted(String newIncarnation) {
    incarnation = newIncarnation;
    return this;
  }

  public Heartbeat build(long sequence, Instant sentAt) {
    Optional<ReceiverStatus> receiver =
        role == Role.STANDBY && health == Health.UP
            ? Optional.of(
                new ReceiverStatus(
                    upstream.isPresent() ? "streaming" : "waiting",
                    upstream.map(u -> "127.0.0.1"),
                    upstream.map(u -> OptionalInt.of(port(u))).orElse(OptionalInt.empty()),
                    OptionalLong.of(timeline)))
            : Optional.empty();
    PostgresStatus postgres =
        new PostgresStatus(
            health, role, host, port(name),
            health == Health.UP ? OptionalLong.of(timeline) : OptionalLong.empty(), current,
            received, received, receiver, List.copyOf(replicas),
            role == Role.PRIMARY ? Optional.of(syncNames) : Optional.empty(),
            Optional.of("15.18"), health == Health.UP ? Optional.of(system) : Optional.empty(),
            dataDirectory, health == Health.UP ? Optional.empty() : Optional.of("connection refused"));
    AgentStatus agent =
        new AgentStatus(
            accepted, accepted.isPresent() ? Convergence.CONVERGED : Convergence.UNASSIGNED,
            fenced ? "fenced" : "reporting", fenced, leaving, relinquished, drainedAt, fenceAfter,
            priority, noFailover, Optional.empty(), handover);
    return new Heartbeat("orders", name, incarnation, sequence, sentAt, postgres, agent);
  }
}
