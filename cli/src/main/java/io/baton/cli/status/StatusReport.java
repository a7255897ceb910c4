package io.baton.cli.status;

import io.baton.cli.cluster.ClusterView;
import io.baton.cli.cluster.HeartbeatRecord;
import io.baton.cli.cluster.Maintenance;
import io.baton.events.AgentStatus;
import io.baton.events.Assignment;
import io.baton.events.AssignmentRef;
import io.baton.events.ClusterEvent;
import io.baton.events.Goal;
import io.baton.events.Health;
import io.baton.events.Heartbeat;
import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.events.PostgresStatus;
import io.baton.events.ReplicaStatus;
import io.baton.events.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The whole of {@code baton status}, derived from a {@link ClusterView} alone; the table and the
 * JSON are two renderings of it.
 *
 * @param maintenance {@code on}, {@code off} or {@code unknown}
 * @param maintenanceChange the event that set it, when known
 * @param synchronousStandbyNames the master's {@code synchronous_standby_names}, as it reports it
 */
public record StatusReport(
    String cluster,
    Instant observedAt,
    Optional<MasterRecord> master,
    String maintenance,
    Optional<ClusterEvent> maintenanceChange,
    Optional<String> synchronousStandbyNames,
    List<NodeStatus> nodes) {

  /** A heartbeat older than this gets the {@code silent} flag: the coordinator's default
   *  failover-after is 5 s, so by now a primary would have been replaced. */
  static final Duration SILENT_AFTER = Duration.ofSeconds(5);

  public StatusReport {
    nodes = List.copyOf(nodes);
  }

  public static StatusReport of(ClusterView view) {
    List<NodeStatus> nodes = new ArrayList<>();
    for (String node : view.nodes()) {
      nodes.add(node(view, node));
    }
    Maintenance maintenance = view.maintenance();
    return new StatusReport(
        view.cluster(), view.observedAt(), view.master(),
        maintenance.mode().name().toLowerCase(Locale.ROOT), maintenance.lastChange(),
        view.masterHeartbeat().flatMap(h -> h.heartbeat().postgres().synchronousStandbyNames()),
        nodes);
  }

  private static NodeStatus node(ClusterView view, String name) {
    Optional<HeartbeatRecord> record = view.heartbeat(name);
    Optional<Assignment> assignment = view.assignment(name);
    Optional<String> goal = assignment.map(a -> goal(a.goal()))
        .or(() -> record.flatMap(r -> r.heartbeat().agent().assignment()).map(AssignmentRef::goal));
    if (record.isEmpty()) {
      return new NodeStatus(
          name, Optional.empty(), OptionalInt.empty(), "-", "-", OptionalLong.empty(),
          Optional.empty(), OptionalLong.empty(), Optional.empty(), goal, Optional.empty(),
          Optional.empty(), Optional.empty(), List.of("silent"),
          Optional.of("no heartbeat in the last minute"));
    }
    Heartbeat heartbeat = record.get().heartbeat();
    PostgresStatus pg = heartbeat.postgres();
    AgentStatus agent = heartbeat.agent();
    boolean isMaster = view.master().filter(m -> m.node().equals(name)).isPresent();
    Duration age = view.age(record.get());
    Optional<Lsn> position = pg.walPosition();
    OptionalLong lag = OptionalLong.empty();
    Optional<Lsn> masterPosition = view.masterPosition();
    if (!isMaster && position.isPresent() && masterPosition.isPresent()) {
      lag = OptionalLong.of(Math.max(0, masterPosition.get().bytesAfter(position.get())));
    }
    List<String> flags = new ArrayList<>();
    if (agent.leaving()) {
      flags.add("leaving");
    }
    if (agent.fenced()) {
      flags.add("fenced");
    }
    if (agent.noFailover()) {
      flags.add("no-failover");
    }
    if (age.compareTo(SILENT_AFTER) > 0) {
      flags.add("silent");
    }
    if (!isMaster && pg.health() == Health.UP && pg.role() == Role.PRIMARY) {
      flags.add("unexpected-primary");
    }
    return new NodeStatus(
        name, Optional.of(pg.host()), OptionalInt.of(pg.port()), pg.role().wire(),
        pg.health().wire(), timeline(pg), position, lag, replication(view, heartbeat, isMaster),
        goal, Optional.of(convergence(agent, assignment)), Optional.of(record.get().appendedAt()),
        Optional.of(age), flags, Optional.of(agent.detail()));
  }

  /** While PostgreSQL is down its data directory still tells the timeline. */
  private static OptionalLong timeline(PostgresStatus pg) {
    if (pg.timeline().isPresent()) {
      return pg.timeline();
    }
    return pg.dataDirectory().map(d -> OptionalLong.of(d.timeline())).orElse(OptionalLong.empty());
  }

  private static String goal(Goal goal) {
    if (goal instanceof Goal.Standby standby) {
      return "standby of " + standby.upstream().node();
    }
    return goal.state();
  }

  /** The agent's convergence refers to the assignment it accepted, which may not be the newest. */
  private static String convergence(AgentStatus agent, Optional<Assignment> assigned) {
    long accepted = agent.assignment().map(AssignmentRef::generation).orElse(0L);
    if (assigned.filter(a -> a.generation() > accepted).isPresent()) {
      return "pending";
    }
    return agent.convergence().wire();
  }

  private static Optional<String> replication(ClusterView view, Heartbeat heartbeat, boolean isMaster) {
    PostgresStatus pg = heartbeat.postgres();
    if (pg.health() != Health.UP) {
      return Optional.empty();
    }
    if (pg.role() == Role.PRIMARY) {
      long streaming = pg.replicas().stream().filter(ReplicaStatus::isStreaming).count();
      return Optional.of(streaming + (streaming == 1 ? " standby" : " standbys") + " streaming");
    }
    if (pg.role() != Role.STANDBY) {
      return Optional.empty();
    }
    if (pg.receiver().isEmpty()) {
      return Optional.of("no WAL receiver");
    }
    String text = view.receiver(pg);
    Optional<String> syncState = view.masterHeartbeat()
        .filter(m -> !isMaster)
        .flatMap(m -> m.heartbeat().postgres().replicas().stream()
            .filter(r -> r.application().equals(heartbeat.node()))
            .findFirst())
        .map(ReplicaStatus::syncState);
    return Optional.of(text + syncState.map(s -> ", " + s).orElse(""));
  }
}
