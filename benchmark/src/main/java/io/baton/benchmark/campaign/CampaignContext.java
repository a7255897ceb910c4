package io.baton.benchmark.campaign;

import io.baton.benchmark.campaign.fault.FaultContext;
import io.baton.benchmark.campaign.fault.NodeProcesses;
import io.baton.benchmark.campaign.fault.Victim;
import io.baton.client.operator.RequestClient;
import io.baton.events.ClusterEvent;
import io.baton.events.MasterRecord;
import io.baton.events.ReplicationMode;
import io.baton.events.RequestedAction;
import io.baton.lab.Lab;
import io.baton.testkit.netns.Namespace;
import io.baton.testkit.postgres.PostgresNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The campaign's side of {@link FaultContext}: the lab, SQL with short timeouts, operator
 * requests sent in order on a thread of their own, synchronous mode's promise and the log.
 */
final class CampaignContext implements FaultContext, AutoCloseable {
  /** How long an operator request waits for its answer, as the CLI does by default. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /** After the primary reports a synchronous standby, time for the coordinator to hear it. */
  private static final Duration SYNCHRONOUS_CONFIRMATION = Duration.ofSeconds(2);

  private final Lab lab;
  private final ReplicationMode mode;
  private final CampaignLog log;
  private final NodeSql sql;
  private final ZeroLoss zeroLoss = new ZeroLoss();
  private final RequestClient requests;
  private final ExecutorService requestThread = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "campaign-requests");
    thread.setDaemon(true);
    return thread;
  });
  private final List<String> notes = new ArrayList<>();
  /** Requests and tasks queued and not yet done. */
  private final java.util.concurrent.atomic.AtomicInteger pending =
      new java.util.concurrent.atomic.AtomicInteger();

  CampaignContext(Lab lab, ReplicationMode mode, CampaignLog log) {
    this.lab = lab;
    this.mode = mode;
    this.log = log;
    this.sql = new NodeSql(lab);
    this.requests = lab.requests();
  }

  @Override
  public Lab lab() {
    return lab;
  }

  NodeSql sql() {
    return sql;
  }

  ZeroLoss zeroLoss() {
    return zeroLoss;
  }

  @Override
  public String node(Victim victim) {
    String primary = master().orElseThrow(() -> new IllegalStateException("no master yet"))
        .node();
    List<String> standbys = lab.postgres().nodes().stream().map(PostgresNode::name)
        .filter(n -> !n.equals(primary)).sorted().toList();
    return switch (victim) {
      case PRIMARY -> primary;
      case FIRST_STANDBY -> standbys.get(0);
      case SECOND_STANDBY -> standbys.get(Math.min(1, standbys.size() - 1));
    };
  }

  @Override
  public NodeProcesses processes(String node) {
    return new NodeProcesses(lab, node);
  }

  @Override
  public Namespace namespace(String node) {
    String name = lab.postgres().node(node).namespace().orElseThrow();
    return lab.network().orElseThrow().namespaces().stream()
        .filter(ns -> ns.name().equals(name)).findFirst().orElseThrow();
  }

  @Override
  public Optional<Connection> superuser(String node) {
    return sql.superuser(node);
  }

  @Override
  public List<String> writableNodes() {
    return sql.writableNodes(master().map(MasterRecord::node));
  }

  @Override
  public Optional<MasterRecord> master() {
    return lab.master();
  }

  @Override
  public void request(String why, RequestedAction action) {
    inOrder(() -> {
      try {
        RequestClient.Answer answer = requests.submit(lab.cluster(), action, REQUEST_TIMEOUT,
            event -> { });
        log.log("answer to " + why + ": " + (answer.finished() ? "" : "(none final within "
            + REQUEST_TIMEOUT.toSeconds() + " s) ") + answer.last().map(ClusterEvent::logLine)
            .orElse("no answer"));
      } catch (RuntimeException e) {
        log.log("request " + why + " failed: " + e.getMessage());
      }
    });
  }

  @Override
  public void afterRequests(String why, Runnable task) {
    inOrder(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.log(why + " failed: " + e.getMessage());
      }
    });
  }

  private void inOrder(Runnable task) {
    pending.incrementAndGet();
    requestThread.execute(() -> {
      try {
        task.run();
      } finally {
        pending.decrementAndGet();
      }
    });
  }

  /** Whether every request sent so far is answered (or timed out) and every task done. */
  boolean requestsDone() {
    return pending.get() == 0;
  }

  @Override
  public ReplicationMode mode() {
    return mode;
  }

  @Override
  public void suspendZeroLoss() {
    zeroLoss.suspend(System.nanoTime());
    if (mode != ReplicationMode.ASYNC) {
      log.log("synchronous mode's promise off: the replication mode is being changed");
    }
  }

  @Override
  public void resumeZeroLossOnceSynchronous() {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() - deadline < 0) {
      Optional<String> standby = master().flatMap(m -> synchronousStandby(m.node()));
      if (standby.isPresent()) {
        zeroLoss.open(System.nanoTime() + SYNCHRONOUS_CONFIRMATION.toNanos());
        log.log("synchronous mode's promise on again: " + standby.get() + " is synchronous");
        return;
      }
      io.baton.lab.ClusterChecks.sleep(Duration.ofMillis(250));
    }
    note("no synchronous standby within 60 s of restoring synchronous mode: its promise stays"
        + " off for the rest of the run");
  }

  /** The standby a node reports synchronous, when it does. */
  Optional<String> synchronousStandby(String node) {
    Optional<Connection> connection = sql.superuser(node);
    if (connection.isEmpty()) {
      return Optional.empty();
    }
    try (Connection c = connection.get(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT application_name FROM pg_stat_replication WHERE sync_state = 'sync'")) {
      return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
    } catch (SQLException e) {
      return Optional.empty();
    }
  }

  @Override
  public void log(String line) {
    log.log(line);
  }

  @Override
  public synchronized void note(String finding) {
    notes.add(finding);
    log.log("NOTE: " + finding);
  }

  synchronized List<String> notes() {
    return List.copyOf(notes);
  }

  @Override
  public void close() {
    requestThread.shutdownNow();
    requests.close();
  }
}
