package io.baton.agent.postgres;

import static io.baton.agent.postgres.ClusterNodes.agentOf;
import static io.baton.agent.postgres.ClusterNodes.await;
import static io.baton.agent.postgres.ClusterNodes.count;
import static io.baton.agent.postgres.ClusterNodes.execute;
import static io.baton.agent.postgres.ClusterNodes.upstream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.agent.postgres.PostgresControl.StartAs;
import io.baton.events.DataDirectoryStatus;
import io.baton.events.Health;
import io.baton.events.Lsn;
import io.baton.events.PostgresStatus;
import io.baton.events.ReplicaStatus;
import io.baton.events.Role;
import io.baton.events.SynchronousStandbyNames;
import io.baton.testkit.postgres.PostgresCluster;
import io.baton.testkit.postgres.PostgresNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One three-node cluster through a whole failover, step by step as an agent would drive it:
 * replication, a synchronous standby, a clean stop, a fence under writes, promotion, re-pointing
 * a standby without restart, and a rewind of the fenced primary.
 */
class LocalPostgresFailoverIT {
  private static final Logger log = LoggerFactory.getLogger(LocalPostgresFailoverIT.class);
  private static final Duration SOON = Duration.ofSeconds(10);

  @Test
  void replicationStopFencePromoteFollowRewind() throws Exception {
    try (PostgresCluster cluster = PostgresCluster.builder().nodes(3).build();
        ClusterNodes.CapturedLog agentLog = new ClusterNodes.CapturedLog()) {
      PostgresNode node1 = cluster.node("n1");
      PostgresNode node2 = cluster.node("n2");
      PostgresNode node3 = cluster.node("n3");
      String password = cluster.agentCredentials().password();
      try (LocalPostgres n1 = agentOf(cluster, node1);
          LocalPostgres n2 = agentOf(cluster, node2);
          LocalPostgres n3 = agentOf(cluster, node3)) {
        Map<String, Long> timings = new LinkedHashMap<>();

        // --- start: n1 primary, n2 and n3 its standbys
        assertEquals(Health.DOWN, n1.observe().health());
        timings.put("start primary", timed(() -> n1.start(new StartAs.Primary(""))));
        timings.put("start standby", timed(() ->
            n2.start(new StartAs.Standby(Optional.of(upstream(node1))))));
        n3.start(new StartAs.Standby(Optional.of(upstream(node1))));

        PostgresStatus primary = await("n2 and n3 streaming from n1", SOON, n1::observe,
            s -> streaming(s, "n2") && streaming(s, "n3"));
        assertEquals(Role.PRIMARY, primary.role());
        assertEquals(Health.UP, primary.health());
        assertEquals(OptionalLong.of(1), primary.timeline());
        assertTrue(primary.currentLsn().isPresent());
        assertTrue(primary.serverVersion().orElseThrow().startsWith("15."), primary.toString());
        assertEquals(List.of("n2", "n3"),
            primary.replicas().stream().map(ReplicaStatus::application).toList());
        assertEquals(Optional.of(""), primary.synchronousStandbyNames());
        for (LocalPostgres standby : List.of(n2, n3)) {
          PostgresStatus s = await("receiver streaming from n1", SOON, standby::observe,
              st -> st.receiver().filter(r -> r.isStreamingFrom(node1.host(), node1.port()))
                  .isPresent());
          assertEquals(Role.STANDBY, s.role());
          assertEquals(OptionalLong.of(1), s.timeline());
          assertEquals(OptionalLong.of(1), s.receiver().orElseThrow().receivedTimeline());
          assertTrue(s.receivedLsn().isPresent() && s.replayedLsn().isPresent(), s.toString());
          assertEquals(primary.systemIdentifier(), s.systemIdentifier());
        }

        // --- observe() is cheap enough to call every 200 ms
        long observing = System.nanoTime();
        for (int i = 0; i < 500; i++) {
          assertEquals(Health.UP, n1.observe().health());
        }
        long observeMicros = Duration.ofNanos(System.nanoTime() - observing).toNanos() / 500_000;
        timings.put("observe (us)", observeMicros);
        assertTrue(observeMicros < 20_000, observeMicros + " us per observe()");

        // --- writes on n1 move its WAL position and the standbys' received positions
        execute(cluster, node1, "app",
            "CREATE TABLE events (id bigserial PRIMARY KEY, phase text NOT NULL)");
        Lsn before = n1.observe().currentLsn().orElseThrow();
        Lsn received2 = n2.observe().receivedLsn().orElseThrow();
        execute(cluster, node1, "app",
            "INSERT INTO events (phase) SELECT 'initial' FROM generate_series(1, 1000)");
        Lsn after = n1.observe().currentLsn().orElseThrow();
        assertTrue(after.bytesAfter(before) > 0, before + " -> " + after);
        for (LocalPostgres standby : List.of(n2, n3)) {
          await("standby received " + after, SOON, standby::observe,
              s -> s.receivedLsn().filter(l -> l.isAtLeast(after)).isPresent());
        }
        assertTrue(n2.observe().receivedLsn().orElseThrow().bytesAfter(received2) > 0);

        // --- n2 becomes synchronous
        String syncN2 = SynchronousStandbyNames.render(List.of("n2"), 1);
        timings.put("set synchronous_standby_names", timed(() ->
            n1.setSynchronousStandbyNames(syncN2)));
        PostgresStatus sync = await("n2 sync", SOON, n1::observe,
            s -> syncState(s, "n2").equals("sync"));
        assertEquals("async", syncState(sync, "n3"));
        assertEquals(Optional.of(syncN2), sync.synchronousStandbyNames());

        // --- no password on a command line or in the agent's files; pgpass 0600
        assertEquals(List.of(), ClusterNodes.commandLinesContaining(password));
        assertEquals("rw-------", PosixFilePermissions.toString(
            Files.getPosixFilePermissions(n1.pgpassFile())));
        assertEquals(cluster.installation().osUser(), Files.getOwner(n1.pgpassFile()).getName());
        assertFalse(Files.readString(n2.configFile()).contains(password));
        assertTrue(Files.readString(n2.configFile()).contains("passfile=" + n2.pgpassFile()),
            "the standby streams with the password from the pgpass file");

        // --- clean stop of the primary: the standbys get its shutdown checkpoint
        timings.put("clean stop of a primary", timed(n1::stopCleanly));
        assertTrue(n1.postmasterPid().isEmpty());
        DataDirectoryStatus stopped = n1.controlData().orElseThrow();
        assertEquals("shut down", stopped.state());
        assertTrue(stopped.isPrimary(), stopped.toString());
        PostgresStatus down = n1.observe();
        assertEquals(Health.DOWN, down.health());
        assertEquals(Optional.of(stopped), down.dataDirectory());
        for (LocalPostgres standby : List.of(n2, n3)) {
          await("standby received the shutdown checkpoint " + stopped.checkpointLsn(),
              Duration.ofSeconds(2), standby::observe,
              s -> s.receivedLsn().filter(l -> l.isAtLeast(stopped.checkpointLsn())).isPresent());
        }

        // --- back as primary (the standbys reconnect by themselves), then fenced under writes
        n1.start(new StartAs.Primary(syncN2));
        await("n2 sync again", SOON, n1::observe, s -> syncState(s, "n2").equals("sync"));
        // n3 sits the fence out: an asynchronous standby may receive WAL the synchronous one
        // never got, and then could not follow n2 after n2's promotion.
        n3.stopCleanly();
        assertEquals("shut down in recovery", n3.controlData().orElseThrow().state());
        assertTrue(n3.controlData().orElseThrow().standbySignal());
        Writer writer = new Writer(cluster, node1);
        try {
          await("commits on n1", SOON, writer::successes, c -> c >= 20);
          long fenceStart = System.nanoTime();
          n1.fence();
          long fenceEnd = System.nanoTime();
          timings.put("fence under writes", Duration.ofNanos(fenceEnd - fenceStart).toMillis());
          PostgresStatus fenced = await("n1 down", Duration.ofSeconds(1), n1::observe,
              s -> s.health() == Health.DOWN);
          long downAfter = Duration.ofNanos(System.nanoTime() - fenceStart).toMillis();
          assertTrue(downAfter < 1000, "DOWN after " + downAfter + " ms");
          assertEquals("in production", fenced.dataDirectory().orElseThrow().state());
          long failed = await("a write failing after the fence", Duration.ofSeconds(1),
              () -> writer.firstFailureAfter(fenceStart), t -> t > 0);
          assertTrue(failed - fenceStart < Duration.ofSeconds(1).toNanos(),
              "first failure " + Duration.ofNanos(failed - fenceStart).toMillis() + " ms after");
          assertTrue(writer.lastSuccess() < fenceEnd, "a write committed after fence() returned");
          ClusterNodes.sleep(200);
          assertTrue(writer.lastSuccess() < fenceEnd, "a write committed after fence() returned");
          n1.fence();
          assertTrue(n1.postmasterPid().isEmpty());
        } finally {
          writer.close();
        }

        // --- n2 promoted: timeline 2, writable
        timings.put("promote", timed(() -> n2.promote(0)));
        PostgresStatus promoted = n2.observe();
        assertEquals(Role.PRIMARY, promoted.role());
        assertEquals(OptionalLong.of(2), promoted.timeline());
        execute(cluster, node2, "app",
            "INSERT INTO events (phase) SELECT 'promoted' FROM generate_series(1, 100)");

        // --- n3 (started as a standby of the dead n1) re-pointed at n2 without a restart
        n3.start(new StartAs.Standby(Optional.of(upstream(node1))));
        long pid3 = n3.postmasterPid().orElseThrow();
        timings.put("follow", timed(() -> n3.follow(upstream(node2))));
        long followed = System.nanoTime();
        PostgresStatus following = await("n3 streaming from n2 on timeline 2", SOON, n3::observe,
            s -> s.receiver().filter(r -> r.isStreamingFrom(node2.host(), node2.port())
                && r.receivedTimeline().equals(OptionalLong.of(2))).isPresent());
        timings.put("follow to streaming", millisSince(followed));
        assertEquals(OptionalLong.of(2), following.timeline());
        assertEquals(pid3, n3.postmasterPid().orElseThrow(), "re-pointed without a restart");
        await("promoted rows on n3", SOON,
            () -> count(cluster, node3, "app", "SELECT count(*) FROM events WHERE phase = 'promoted'"),
            c -> c == 100);

        // --- the fenced n1 rewound from n2 and started as its standby
        timings.put("rewind", timed(() -> n1.rewind(upstream(node2))));
        DataDirectoryStatus rewound = n1.controlData().orElseThrow();
        assertTrue(rewound.standbySignal(), rewound.toString());
        assertTrue(n1.postmasterPid().isEmpty(), "rewind leaves PostgreSQL stopped");
        timings.put("start rewound standby", timed(() ->
            n1.start(new StartAs.Standby(Optional.of(upstream(node2))))));
        PostgresStatus rejoined = await("n1 streaming from n2 on timeline 2", SOON, n1::observe,
            s -> s.receiver().filter(r -> r.isStreamingFrom(node2.host(), node2.port())
                && r.receivedTimeline().equals(OptionalLong.of(2))).isPresent());
        assertEquals(Role.STANDBY, rejoined.role());
        assertEquals(OptionalLong.of(2), rejoined.timeline());
        await("promoted rows on n1", SOON,
            () -> count(cluster, node1, "app", "SELECT count(*) FROM events WHERE phase = 'promoted'"),
            c -> c == 100);
        PostgresStatus newPrimary = await("n1 and n3 streaming from n2", SOON, n2::observe,
            s -> streaming(s, "n1") && streaming(s, "n3"));
        assertEquals(OptionalLong.of(2), newPrimary.timeline());

        // --- regression: once the upstream is gone the WAL receiver row disappears, and the
        // control file still says timeline 1; a standby must go on reporting the timeline it
        // streamed, or the coordinator finds no candidate on the primary's timeline.
        n2.fence();
        PostgresStatus orphaned = await("n3 no longer streaming", SOON, n3::observe,
            s -> s.receiver().filter(r -> r.isStreaming()).isEmpty());
        assertEquals(OptionalLong.of(2), orphaned.timeline(), orphaned.toString());

        // --- no password in any log
        for (LocalPostgres agent : List.of(n1, n2, n3)) {
          String serverLog = Files.readString(agent.logFile(), StandardCharsets.UTF_8);
          assertFalse(serverLog.contains(password), agent.logFile() + " holds the password");
          assertFalse(serverLog.isEmpty(), "the server writes to " + agent.logFile());
        }
        List<String> lines = agentLog.lines();
        assertEquals(0, lines.stream().filter(l -> l.contains(password)).count(),
            "log lines with the password");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("postgres: fenced pid ")),
            "the fence is logged");
        assertEquals(List.of(), ClusterNodes.commandLinesContaining(password));

        log.info("timings (ms): {}", timings);
      }
    }
  }

  private static boolean streaming(PostgresStatus primary, String application) {
    return primary.replicas().stream()
        .anyMatch(r -> r.application().equals(application) && r.isStreaming());
  }

  private static String syncState(PostgresStatus primary, String application) {
    return primary.replicas().stream()
        .filter(r -> r.application().equals(application))
        .map(ReplicaStatus::syncState)
        .findFirst()
        .orElse("(not connected)");
  }

  interface Action {
    void run() throws Exception;
  }

  private static long timed(Action action) throws Exception {
    long begun = System.nanoTime();
    action.run();
    return millisSince(begun);
  }

  private static long millisSince(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
  }

  /** Inserts rows one autocommit transaction after another, noting when each ended. */
  private static final class Writer implements AutoCloseable {
    private final PostgresCluster cluster;
    private final PostgresNode node;
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong lastSuccess = new AtomicLong();
    private final ConcurrentLinkedQueue<Long> failures = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    Writer(PostgresCluster cluster, PostgresNode node) {
      this.cluster = cluster;
      this.node = node;
      this.thread = new Thread(this::run, "writer-" + node.name());
      thread.start();
    }

    private void run() {
      Connection connection = null;
      while (running) {
        try {
          if (connection == null) {
            connection = cluster.connect(node, "app", cluster.superuserCredentials());
          }
          try (Statement s = connection.createStatement()) {
            s.executeUpdate("INSERT INTO events (phase) VALUES ('fence')");
          }
          lastSuccess.set(System.nanoTime());
          successes.incrementAndGet();
        } catch (SQLException e) {
          failures.add(System.nanoTime());
          close(connection);
          connection = null;
          ClusterNodes.sleep(5);
        }
      }
      close(connection);
    }

    long successes() {
      return successes.get();
    }

    long lastSuccess() {
      return lastSuccess.get();
    }

    long firstFailureAfter(long nanoTime) {
      return failures.stream().filter(t -> t - nanoTime >= 0).findFirst().orElse(0L);
    }

    private static void close(Connection connection) {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException e) {
          // Broken already.
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join(Duration.ofSeconds(35).toMillis());
      log.info("writer: {} commits, {} failures", successes.get(), failures.size());
    }
  }
}
