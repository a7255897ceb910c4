package io.baton.lab;

import io.baton.events.ClusterEvent;
import io.baton.events.EventType;
import io.baton.events.MasterRecord;
import io.baton.testkit.postgres.Credentials;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.probe.ProbeResults;
import io.baton.testkit.probe.WriteProbe;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the system tests and the benchmark check on a lab, and the client they run: the healthy
 * end state every scenario must reach, the benchmark method's write probe, lost writes, waiting
 * for master records and events. Failures are {@link IllegalStateException}s naming what was
 * awaited.
 */
public final class ClusterChecks {
  /** How long a cluster may take to be healthy again (a rewind, an agent restart). */
  public static final Duration SETTLE = Duration.ofSeconds(120);

  private ClusterChecks() {}

  /**
   * Waits until exactly one node is writable, every other node streams from it, and the master
   * record names it; returns that record.
   */
  public static MasterRecord awaitHealthy(Lab lab) throws SQLException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      MasterRecord master = lab.awaitAllStreaming(Duration.ofNanos(
          Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos())));
      List<String> writable = writableNodes(lab);
      if (writable.equals(List.of(master.node()))) {
        return master;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not healthy within " + SETTLE + ": the master record names "
            + master.node() + " but the writable nodes are " + writable);
      }
      sleep(Duration.ofMillis(200));
    }
  }

  /** Nodes that answer and are not in recovery; a node that does not answer is not writable. */
  public static List<String> writableNodes(Lab lab) {
    List<String> writable = new ArrayList<>();
    for (PostgresNode node : lab.postgres().nodes()) {
      try (Connection c = lab.postgres().superuserConnection(node);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          writable.add(node.name());
        }
      } catch (SQLException e) {
        // down or unreachable: not writable
      }
    }
    return writable;
  }

  /** The standby the primary reports synchronous, once there is one (synchronous mode). */
  public static String awaitSynchronousStandby(Lab lab, MasterRecord master) throws SQLException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = lab.postgres().superuserConnection(lab.postgres().node(master.node()));
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(
              "SELECT application_name FROM pg_stat_replication WHERE sync_state = 'sync'")) {
        if (rs.next()) {
          return rs.getString(1);
        }
      }
      sleep(Duration.ofMillis(200));
    }
    throw new IllegalStateException("no synchronous standby on " + master.node() + " within 60 s");
  }

  public static List<String> standbys(Lab lab, MasterRecord master) {
    return lab.postgres().nodes().stream().map(PostgresNode::name)
        .filter(n -> !n.equals(master.node())).toList();
  }

  /** The node after {@code node} in the lab's order, wrapping: switchovers give each a turn. */
  public static String nextInTurn(Lab lab, String node) {
    List<String> names = lab.postgres().nodes().stream().map(PostgresNode::name).toList();
    return names.get((names.indexOf(node) + 1) % names.size());
  }

  /**
   * The method's client: a write every 10 ms through the multi-host URL with {@code
   * targetServerType=primary}, so it finds the primary by itself; waits for its first
   * acknowledged write so a fault never lands before the client is writing.
   */
  public static WriteProbe startProbe(Lab lab) throws SQLException {
    MasterRecord master = lab.master().orElseThrow();
    Credentials app = lab.postgres().appCredentials();
    createProbeTable(lab, master);
    WriteProbe probe = WriteProbe.builder(() -> lab.postgres().multiHostJdbcUrl("app"), app.user(),
        app.password()).start();
    awaitFirstWrite(probe, "the client");
    return probe;
  }

  /** Creates {@code baton_probe} on the primary, as the user the probes write as. */
  public static void createProbeTable(Lab lab, MasterRecord master) throws SQLException {
    Credentials app = lab.postgres().appCredentials();
    try (Connection c = lab.postgres().connect(lab.postgres().node(master.node()), "app", app)) {
      WriteProbe.createTable(c);
    }
  }

  public static void awaitFirstWrite(WriteProbe probe, String who) {
    await(() -> !probe.acknowledged().isEmpty(), Duration.ofSeconds(30),
        () -> who + " wrote nothing within 30 s: " + probe.attempts().stream()
            .flatMap(a -> a.error().stream()).reduce((a, b) -> b).orElse("no attempt"));
  }

  /** Waits until the probe has written successfully with a write started after {@code nanos}. */
  public static void awaitWritesAfter(WriteProbe probe, long nanos, Duration timeout) {
    await(() -> probe.firstAcknowledgedAfter(nanos).isPresent(), timeout,
        () -> "no successful write within " + timeout);
  }

  /** Acknowledged writes of a probe missing on the current primary. */
  public static List<Long> lostWrites(Lab lab, ProbeResults probe) throws SQLException {
    MasterRecord master = lab.master().orElseThrow();
    try (Connection c = lab.postgres().connect(lab.postgres().node(master.node()), "app",
        lab.postgres().appCredentials())) {
      return probe.lostWrites(c);
    }
  }

  /** The first master record of the cluster from index {@code from} on with a newer epoch. */
  public static TopicTail.Entry<MasterRecord> awaitNewMaster(Lab lab, int from, MasterRecord before,
      Duration timeout) {
    return lab.masters()
        .await(from, m -> m.cluster().equals(lab.cluster()) && m.epoch() > before.epoch(), timeout)
        .orElseThrow(() -> new IllegalStateException("no new master record within " + timeout
            + "; events:\n" + lab.describeEvents()));
  }

  /** The first event of a type (and matching) of the cluster from index {@code from} on. */
  public static TopicTail.Entry<ClusterEvent> awaitEvent(Lab lab, int from, EventType type,
      Predicate<ClusterEvent> matching, Duration timeout) {
    return lab.events()
        .await(from, e -> e.cluster().equals(lab.cluster()) && e.type() == type
            && matching.test(e), timeout)
        .orElseThrow(() -> new IllegalStateException("no " + type.wire() + " event within "
            + timeout + "; events:\n" + lab.describeEvents()));
  }

  public static void await(BooleanSupplier condition, Duration timeout, Supplier<String> failure) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(failure.get());
      }
      sleep(Duration.ofMillis(20));
    }
  }

  public static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
