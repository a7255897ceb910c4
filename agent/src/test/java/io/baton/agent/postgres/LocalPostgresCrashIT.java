package io.baton.agent.postgres;

import static io.baton.agent.postgres.ClusterNodes.agentOf;
import static io.baton.agent.postgres.ClusterNodes.await;
import static io.baton.agent.postgres.ClusterNodes.upstream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.agent.postgres.PostgresControl.StartAs;
import io.baton.events.Health;
import io.baton.events.PostgresStatus;
import io.baton.events.Role;
import io.baton.testkit.postgres.PostgresCluster;
import io.baton.testkit.postgres.PostgresNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A postmaster killed under the agent, and an agent with the wrong password. */
class LocalPostgresCrashIT {
  private static final Logger log = LoggerFactory.getLogger(LocalPostgresCrashIT.class);

  @Test
  void aKilledPostmasterIsDownAndStartsAgainDespiteItsZombie() throws Exception {
    try (PostgresCluster cluster = PostgresCluster.builder().nodes(1).build()) {
      PostgresNode node = cluster.primary();
      // Started outside the agent, so that once killed it is PID 1's zombie to reap, not ours.
      cluster.startManually(node);
      try (LocalPostgres agent = agentOf(cluster, node)) {
        AtomicInteger exits = new AtomicInteger();
        agent.onPostmasterExit(exits::incrementAndGet);
        PostgresStatus adopted = agent.observe();
        assertEquals(Health.UP, adopted.health(), adopted.toString());
        assertEquals(Role.PRIMARY, adopted.role());
        long pid = cluster.postmasterPid(node).orElseThrow();
        assertEquals(pid, agent.postmasterPid().orElseThrow());

        assertTrue(cluster.killPostmaster(node));
        long killed = System.nanoTime();
        PostgresStatus down = await("DOWN after SIGKILL", Duration.ofMillis(500), agent::observe,
            s -> s.health() == Health.DOWN);
        assertEquals("in production", down.dataDirectory().orElseThrow().state());
        boolean zombie = Files.exists(Path.of("/proc", Long.toString(pid)));
        await("exit callback", Duration.ofMillis(500), exits::get, n -> n == 1);

        agent.start(new StartAs.Primary(""));
        log.info("killed postmaster {}: DOWN at once, still a zombie: {}, started again {} ms"
            + " after the kill", pid, zombie, Duration.ofNanos(System.nanoTime() - killed)
            .toMillis());
        long restarted = agent.postmasterPid().orElseThrow();
        assertNotEquals(pid, restarted);
        assertEquals(Role.PRIMARY, agent.observe().role());

        // Now the agent's own child.
        assertTrue(cluster.killPostmaster(node));
        await("DOWN after SIGKILL of the agent's child", Duration.ofMillis(500), agent::observe,
            s -> s.health() == Health.DOWN);
        await("exit callback", Duration.ofMillis(500), exits::get, n -> n == 2);
        agent.start(new StartAs.Standby(Optional.empty()));
        PostgresStatus standby = agent.observe();
        assertEquals(Health.UP, standby.health(), standby.toString());
        assertEquals(Role.STANDBY, standby.role());
        assertEquals("stopped", standby.receiver().orElseThrow().status());
      }
    }
  }

  @Test
  void aFenceDuringAStartLeavesNothingRunning() throws Exception {
    try (PostgresCluster cluster = PostgresCluster.builder().nodes(1).build()) {
      PostgresNode node = cluster.primary();
      try (LocalPostgres agent = agentOf(cluster, node)) {
        for (long delayMillis : new long[] {0, 30, 80}) {
          CompletableFuture<Void> start = CompletableFuture.runAsync(() -> {
            try {
              agent.start(new StartAs.Primary(""));
            } catch (PostgresException e) {
              throw new CompletionException(e);
            }
          });
          ClusterNodes.sleep(delayMillis);
          agent.fence();
          try {
            start.get(30, TimeUnit.SECONDS);
            // The start won the race; the fence came after it and stopped the server.
          } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof PostgresException, e.toString());
          }
          agent.fence();
          assertTrue(agent.postmasterPid().isEmpty(), "fenced " + delayMillis + " ms in");
          assertEquals(Health.DOWN, agent.observe().health());
          assertFalse(cluster.isRunning(node));
        }
        // Observed while it starts: STARTING until it answers. A postmaster SIGKILLed by a fence
        // leaves its lock file saying "ready" until the new one rewrites it: that must not make a
        // refused connection look like a hung server. (A login slower than the observation's
        // timeout on a busy machine, once the server is ready, is rightly unreachable.)
        writeStaleLockFile(node);
        CompletableFuture<Void> start = CompletableFuture.runAsync(() -> {
          try {
            agent.start(new StartAs.Primary(""));
          } catch (PostgresException e) {
            throw new CompletionException(e);
          }
        });
        Set<Health> seen = EnumSet.noneOf(Health.class);
        List<String> refusedButUnreachable = new ArrayList<>();
        while (!start.isDone()) {
          PostgresStatus status = agent.observe();
          seen.add(status.health());
          String error = status.error().orElse("");
          if (status.health() == Health.UNREACHABLE && error.contains("refused")) {
            refusedButUnreachable.add(error);
          }
        }
        start.get();
        assertTrue(seen.contains(Health.STARTING), seen.toString());
        assertEquals(List.of(), refusedButUnreachable);
        assertEquals(Role.PRIMARY, agent.observe().role());
      }
    }
  }

  /** What a SIGKILLed postmaster leaves: its lock file, naming a pid that no longer runs. */
  private static void writeStaleLockFile(PostgresNode node) throws Exception {
    Process exited = new ProcessBuilder("true").start();
    exited.waitFor();
    Path lockFile = node.dataDir().resolve("postmaster.pid");
    Files.writeString(lockFile, String.join("\n", Long.toString(exited.pid()),
        node.dataDir().toString(), "0", Integer.toString(node.port()),
        node.socketDir().toString(), node.host(), "0 0", "ready   ", ""));
    new ProcessBuilder("chown", "postgres:postgres", lockFile.toString()).start().waitFor();
  }

  @Test
  void aWrongPasswordIsReportedAsAnAuthenticationFailure() throws Exception {
    try (PostgresCluster cluster = PostgresCluster.builder().nodes(1).build()) {
      PostgresNode node = cluster.primary();
      try (LocalPostgres agent = agentOf(cluster, node);
          LocalPostgres wrong = new LocalPostgres(ClusterNodes.settings(cluster, node,
              "not-" + cluster.agentCredentials().password(), "wrong-agent"))) {
        agent.start(new StartAs.Primary(""));

        PostgresStatus status = wrong.observe();
        assertEquals(Health.UNREACHABLE, status.health(), status.toString());
        assertEquals(Role.UNKNOWN, status.role());
        String error = status.error().orElseThrow();
        // Classified by the agent, not just pgjdbc's wording passed on.
        assertTrue(error.contains(": authentication failed (SQLState 28P01, permanent"), error);
        assertFalse(error.contains(cluster.agentCredentials().password()), error);
        assertEquals(status, wrong.observe(), "repeated, not retried at once");

        assertFalse(wrong.reachable(upstream(node)));
        assertTrue(agent.reachable(upstream(node)));
        PostgresException promote = assertThrows(PostgresException.class, () -> wrong.promote(0));
        assertTrue(promote.getMessage().contains(": authentication failed (SQLState 28P01"),
            promote.getMessage());
      }
    }
  }
}
