package io.baton.cli.cluster;

import io.baton.events.AgentStatus;
import io.baton.events.AssignmentRef;
import io.baton.events.Convergence;
import io.baton.events.DataDirectoryStatus;
import io.baton.events.Health;
import io.baton.events.Heartbeat;
import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.events.PostgresStatus;
import io.baton.events.ReceiverStatus;
import io.baton.events.ReplicaStatus;
import io.baton.events.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Builds heartbeats for tests: {@code Beat.standby("n2").from("n1").replayed("0/3000060")}. Node
 * {@code nX} listens on 127.0.0.1:543X.
 */
public final class Beat {
  public static final String CLUSTER = "demo";
  public static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");

  private final String node;
  private Health health = Health.UP;
  private Role role;
  private long timeline = 1;
  private Optional<Lsn> current = Optional.empty();
  private Optional<Lsn> received = Optional.empty();
  private Optional<Lsn> replayed = Optional.empty();
  private Optional<ReceiverStatus> receiver = Optional.empty();
  private final List<ReplicaStatus> replicas = new ArrayList<>();
  private Optional<String> synchronousStandbyNames = Optional.empty();
  private Optional<DataDirectoryStatus> dataDirectory = Optional.empty();
  private Convergence convergence = Convergence.CONVERGED;
  private String detail = "in the assigned state";
  private boolean fenced;
  private boolean leaving;
  private boolean noFailover;
  private int priority = 100;
  private Optional<AssignmentRef> assignment = Optional.empty();

  private Beat(String node, Role role) {
    this.node = node;
    this.role = role;
  }

  public static Beat primary(String node) {
    return new Beat(node, Role.PRIMARY).current("0/3000060").synchronousStandbyNames("");
  }

  /** A standby streaming from {@code n1}, caught up with 0/3000060. */
  public static Beat standby(String node) {
    return new Beat(node, Role.STANDBY).from("n1").received("0/3000060").replayed("0/3000060");
  }

  public static int port(String node) {
    return 5430 + Integer.parseInt(node.substring(node.length() - 1));
  }

  public static MasterRecord master(String node, long epoch) {
    return new MasterRecord(CLUSTER, epoch, node, "127.0.0.1", port(node), 1, Lsn.parse("0/3000000"),
        T0.minus(Duration.ofMinutes(5)), "adopted: the only primary");
  }

  public static ClusterView view(Optional<MasterRecord> master, Maintenance maintenance, HeartbeatRecord... records) {
    Map<String, HeartbeatRecord> latest = new java.util.TreeMap<>();
    for (HeartbeatRecord r : records) {
      latest.put(r.node(), r);
    }
    return new ClusterView(CLUSTER, master, latest, Map.of(), maintenance, T0);
  }

  public static ClusterView view(String master, HeartbeatRecord... records) {
    return view(Optional.of(master(master, 1)), Maintenance.neverChanged(), records);
  }

  public Beat health(Health value) {
    health = value;
    if (value != Health.UP) {
      // What the agent reports of a PostgreSQL it cannot query.
      role = Role.UNKNOWN;
      receiver = Optional.empty();
      current = Optional.empty();
      received = Optional.empty();
      replayed = Optional.empty();
    }
    return this;
  }

  public Beat role(Role value) {
    role = value;
    return this;
  }

  public Beat timeline(long value) {
    timeline = value;
    return this;
  }

  public Beat current(String lsn) {
    current = Optional.of(Lsn.parse(lsn));
    return this;
  }

  public Beat received(String lsn) {
    received = Optional.of(Lsn.parse(lsn));
    return this;
  }

  public Beat replayed(String lsn) {
    replayed = Optional.of(Lsn.parse(lsn));
    return this;
  }

  public Beat from(String upstream) {
    return receiver("streaming", upstream);
  }

  public Beat receiver(String status, String upstream) {
    receiver = Optional.of(new ReceiverStatus(status, Optional.of("127.0.0.1"),
        OptionalInt.of(port(upstream)), OptionalLong.of(timeline)));
    return this;
  }

  public Beat noReceiver() {
    receiver = Optional.empty();
    return this;
  }

  /** On a primary: a standby in {@code pg_stat_replication}. */
  public Beat replica(String standby, String syncState) {
    replicas.add(new ReplicaStatus(standby, Optional.of("127.0.0.1"), "streaming", syncState,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    return this;
  }

  /** What pg_controldata says while PostgreSQL is down. */
  public Beat dataDirectory(long timeline, String checkpoint) {
    dataDirectory = Optional.of(new DataDirectoryStatus(
        "shut down in recovery", Lsn.parse(checkpoint), timeline, "7301234567890123456", true));
    return this;
  }

  public Beat synchronousStandbyNames(String value) {
    synchronousStandbyNames = Optional.of(value);
    return this;
  }

  public Beat agent(Convergence value, String sentence) {
    convergence = value;
    detail = sentence;
    return this;
  }

  public Beat fenced() {
    fenced = true;
    return this;
  }

  public Beat leaving() {
    leaving = true;
    return this;
  }

  public Beat noFailover() {
    noFailover = true;
    return this;
  }

  public Beat priority(int value) {
    priority = value;
    return this;
  }

  public Beat accepted(long epoch, long generation, String goal) {
    assignment = Optional.of(new AssignmentRef(epoch, generation, goal));
    return this;
  }

  public Heartbeat heartbeat() {
    boolean up = health == Health.UP;
    PostgresStatus pg = new PostgresStatus(
        health, role, "127.0.0.1", port(node), up ? OptionalLong.of(timeline) : OptionalLong.empty(),
        current, received, replayed, receiver, replicas,
        role == Role.PRIMARY ? synchronousStandbyNames : Optional.empty(), Optional.of("15.8"),
        Optional.of("7301234567890123456"), dataDirectory, Optional.empty());
    AgentStatus agent = new AgentStatus(
        assignment, convergence, detail, fenced, leaving, OptionalLong.empty(), Optional.empty(),
        Duration.ofSeconds(3), priority, noFailover, Optional.of("http://127.0.0.1:" + (8000 + port(node) - 5430)),
        Optional.empty());
    return new Heartbeat(CLUSTER, node, "incarnation-" + node, 1, T0, pg, agent);
  }

  /** As read from the topic at {@code offset}, appended {@code age} before {@link #T0}. */
  public HeartbeatRecord at(long offset, Duration age) {
    return new HeartbeatRecord(heartbeat(), offset, T0.minus(age));
  }

  /** As read at {@code offset}, appended half a second before {@link #T0}. */
  public HeartbeatRecord at(long offset) {
    return at(offset, Duration.ofMillis(500));
  }
}
