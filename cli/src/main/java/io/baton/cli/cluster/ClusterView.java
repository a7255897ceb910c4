package io.baton.cli.cluster;

import io.baton.events.Assignment;
import io.baton.events.Heartbeat;
import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.events.PostgresStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What Kafka says about one cluster at one moment, read without the coordinator: the master
 * record, each node's latest heartbeat, each node's assignment, and the maintenance mode.
 *
 * @param heartbeats the newest heartbeat of every node heard from recently, by node name
 * @param assignments the newest assignment of every node, by node name
 * @param observedAt the local time this view was taken, for heartbeat ages
 */
public record ClusterView(
    String cluster,
    Optional<MasterRecord> master,
    Map<String, HeartbeatRecord> heartbeats,
    Map<String, Assignment> assignments,
    Maintenance maintenance,
    Instant observedAt) {

  public ClusterView {
    heartbeats = Map.copyOf(heartbeats);
    assignments = Map.copyOf(assignments);
  }

  /** Every node known from a heartbeat or an assignment, sorted by name. */
  public Set<String> nodes() {
    Set<String> names = new TreeSet<>(heartbeats.keySet());
    names.addAll(assignments.keySet());
    master.ifPresent(m -> names.add(m.node()));
    return names;
  }

  public Optional<HeartbeatRecord> heartbeat(String node) {
    return Optional.ofNullable(heartbeats.get(node));
  }

  public Optional<Assignment> assignment(String node) {
    return Optional.ofNullable(assignments.get(node));
  }

  public Optional<HeartbeatRecord> masterHeartbeat() {
    return master.flatMap(m -> heartbeat(m.node()));
  }

  /** The master's WAL position as its latest heartbeat reports it. */
  public Optional<Lsn> masterPosition() {
    return masterHeartbeat().flatMap(h -> h.heartbeat().postgres().currentLsn());
  }

  public Duration age(HeartbeatRecord heartbeat) {
    Duration age = Duration.between(heartbeat.appendedAt(), observedAt);
    return age.isNegative() ? Duration.ZERO : age;
  }

  /** Which node listens at an address, for naming a standby's upstream. */
  public Optional<String> nodeAt(String host, int port) {
    return new TreeMap<>(heartbeats).values().stream()
        .map(HeartbeatRecord::heartbeat)
        .filter(h -> h.postgres().host().equals(host) && h.postgres().port() == port)
        .map(Heartbeat::node)
        .findFirst()
        .or(() -> master.filter(m -> m.host().equals(host) && m.port() == port).map(MasterRecord::node));
  }

  /** A standby's WAL receiver in a few words: {@code streaming from n1}, {@code not running}. */
  public String receiver(PostgresStatus standby) {
    return standby.receiver()
        .map(r -> r.status() + r.upstreamHost()
            .map(host -> " from " + nodeAt(host, r.upstreamPort().orElse(0))
                .orElse(host + ":" + r.upstreamPort().orElse(0)))
            .orElse(""))
        .orElse("not running");
  }

  /** Whether the node's own heartbeat shows its WAL receiver streaming from the master. */
  public boolean streamsFromMaster(Heartbeat standby) {
    return master
        .filter(m -> !m.node().equals(standby.node()))
        .flatMap(m -> standby.postgres().receiver().filter(r -> r.isStreamingFrom(m.host(), m.port())))
        .isPresent();
  }
}
