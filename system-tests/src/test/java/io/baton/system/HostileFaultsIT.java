package io.baton.system;

import static io.baton.system.ClusterAssertions.assertOnePrimaryAllStreaming;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.events.MasterRecord;
import io.baton.lab.ClusterChecks;
import io.baton.lab.Lab;
import io.baton.lab.TopicTail;
import io.baton.testkit.kafka.TestKafka;
import io.baton.testkit.postgres.Credentials;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.probe.ProbeLog;
import io.baton.testkit.probe.ProbeResults;
import io.baton.testkit.probe.ProbeWriterMain;
import io.baton.testkit.process.ChildProcess;
import io.baton.testkit.process.Processes;
import io.baton.testkit.process.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Faults an operator meets that are not a clean kill: each started as a reproduction of a
 * split-brain found by hand (issue 8), and must end with the old primary stopped before a new
 * master is published.
 */
class HostileFaultsIT {
  private static final Duration SETTLE = Duration.ofSeconds(120);

  /**
   * The scenario: the agent of the primary cannot log in to it any more (role NOLOGIN and
   * its session terminated; a wrong password rotation or a full max_connections does the same),
   * then the agent is killed (an OOM kill). Before the fix, its watchdog was disarmed because the
   * agent could not see PostgreSQL, and the old primary kept acknowledging writes after the new
   * master was published.
   */
  @Test
  void aPrimaryWhoseAgentCannotLogInAndThenDiesIsStoppedBeforeTheNewMasterIsPublished()
      throws Exception {
    try (Lab lab = Lab.builder().cluster("nologin").bootstrapServers(TestKafka.bootstrapServers())
        .start()) {
      MasterRecord before = assertOnePrimaryAllStreaming(lab, SETTLE);
      PostgresNode old = lab.postgres().node(before.node());
      Credentials app = lab.postgres().appCredentials();
      ClusterChecks.createProbeTable(lab, before);
      Path besideOldPrimary = Files.createTempFile("baton-nologin-writer", ".log");
      try (ChildProcess writer =
          ProbeWriterMain.launcher(
                  "jdbc:postgresql://" + old.host() + ":" + old.port()
                      + "/app?connectTimeout=1&socketTimeout=2",
                  app.user(), app.password(), "beside-old-primary", besideOldPrimary)
              .start()) {
        awaitFirstCommit(besideOldPrimary);
        String agentUser = lab.postgres().agentCredentials().user();
        try (Connection superuser = lab.postgres().superuserConnection(old);
            Statement sql = superuser.createStatement()) {
          sql.execute("ALTER ROLE " + agentUser + " NOLOGIN");
          sql.execute(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '"
                  + agentUser + "'");
        }
        ClusterChecks.sleep(Duration.ofMillis(1500));
        lab.agent(before.node()).signal(Signal.KILL);
        Optional<TopicTail.Entry<MasterRecord>> published =
            lab.masters().await(
                0, m -> m.cluster().equals(lab.cluster()) && m.epoch() > before.epoch(),
                Duration.ofSeconds(60));
        assertTrue(published.isPresent(), "a new master within 60 s:\n" + lab.describeEvents());
        MasterRecord after = published.get().value();
        assertNotEquals(before.node(), after.node());
        long publishedSeenAt = published.get().receivedNanos();
        assertFalse(
            lab.postgres().isRunning(old),
            "the old primary still runs after " + after.node() + " was published");
        ClusterChecks.sleep(Duration.ofSeconds(2));
        writer.signal(Signal.TERM);
        writer.waitFor(Duration.ofSeconds(10));
        ProbeResults oldSide = ProbeLog.read(besideOldPrimary);
        long lastOldCommit = oldSide.lastAcknowledgedAt().orElseThrow();
        assertTrue(
            lastOldCommit - publishedSeenAt < 0,
            "the old primary acknowledged a commit "
                + Duration.ofNanos(lastOldCommit - publishedSeenAt).toMillis()
                + " ms after the new master was seen");
      } finally {
        Files.deleteIfExists(besideOldPrimary);
      }
      // Mend the role on the new primary (it replicates to the old one when it rejoins).
      MasterRecord now = lab.master().orElseThrow();
      try (Connection superuser = lab.postgres().superuserConnection(lab.postgres().node(now.node()));
          Statement sql = superuser.createStatement()) {
        sql.execute("ALTER ROLE " + lab.postgres().agentCredentials().user() + " LOGIN");
      }
      lab.startAgent(before.node());
      assertOnePrimaryAllStreaming(lab, SETTLE);
    }
  }

  /**
   * Finding 9: the primary's whole machine paused (every process of the node stopped, as a
   * hypervisor pauses a VM) for longer than failover-after, so another node is promoted meanwhile.
   * On resume PostgreSQL, the agent and the watchdog run again together; the old primary must be
   * fenced within moments. What it may still acknowledge in those moments (a commit that was in
   * flight when the machine stopped) is the window only a watchdog device closes: measured and
   * printed here, and bounded.
   */
  @Test
  void aPausedMachineIsFencedWithinMomentsOfResuming() throws Exception {
    try (Lab lab = Lab.builder().cluster("paused").bootstrapServers(TestKafka.bootstrapServers())
        .start()) {
      MasterRecord before = assertOnePrimaryAllStreaming(lab, SETTLE);
      PostgresNode old = lab.postgres().node(before.node());
      Credentials app = lab.postgres().appCredentials();
      ClusterChecks.createProbeTable(lab, before);
      Path besideOldPrimary = Files.createTempFile("baton-paused-writer", ".log");
      try (ChildProcess writer =
          ProbeWriterMain.launcher(
                  "jdbc:postgresql://" + old.host() + ":" + old.port()
                      + "/app?connectTimeout=1&socketTimeout=30",
                  app.user(), app.password(), "beside-old-primary", besideOldPrimary)
              .start()) {
        awaitFirstCommit(besideOldPrimary);
        ProcessHandle agent = ProcessHandle.of(lab.agent(before.node()).pid()).orElseThrow();
        List<ProcessHandle> machine = new ArrayList<>();
        machine.add(agent);
        agent.descendants().forEach(machine::add);
        lab.postgres().postmasterPid(old).flatMap(ProcessHandle::of).ifPresent(pm -> {
          machine.add(pm);
          pm.descendants().forEach(machine::add);
        });
        Processes.send(Signal.STOP, machine);
        MasterRecord after = lab.awaitMaster(m -> m.epoch() > before.epoch(), Duration.ofSeconds(60));
        assertNotEquals(before.node(), after.node());
        ClusterChecks.sleep(Duration.ofSeconds(1));
        long resumedAt = System.nanoTime();
        Processes.send(Signal.CONT, machine);
        long deadline = resumedAt + Duration.ofSeconds(5).toNanos();
        while (lab.postgres().isRunning(old) && System.nanoTime() < deadline) {
          ClusterChecks.sleep(Duration.ofMillis(5));
        }
        long fencedAt = System.nanoTime();
        assertFalse(lab.postgres().isRunning(old), "the old primary runs 5 s after resuming");
        ClusterChecks.sleep(Duration.ofSeconds(2));
        writer.signal(Signal.TERM);
        writer.waitFor(Duration.ofSeconds(10));
        ProbeResults oldSide = ProbeLog.read(besideOldPrimary);
        long window = oldSide.attempts().stream()
            .filter(a -> a.isAcknowledged() && a.endNanos() - resumedAt > 0)
            .mapToLong(a -> a.endNanos() - resumedAt)
            .max().orElse(0);
        System.out.printf(
            "paused machine: fenced %d ms after resuming; the old primary acknowledged writes for"
                + " %d ms after resuming%n",
            Duration.ofNanos(fencedAt - resumedAt).toMillis(), Duration.ofNanos(window).toMillis());
        assertTrue(
            Duration.ofNanos(fencedAt - resumedAt).compareTo(Duration.ofSeconds(1)) < 0,
            "fenced " + Duration.ofNanos(fencedAt - resumedAt).toMillis() + " ms after resuming");
      } finally {
        Files.deleteIfExists(besideOldPrimary);
      }
      assertOnePrimaryAllStreaming(lab, SETTLE);
    }
  }

  /** A writer JVM starting on a busy machine can take most of a minute to commit once. */
  private static void awaitFirstCommit(Path writerLog) {
    Duration timeout = Duration.ofSeconds(120);
    ClusterChecks.await(
        () -> readQuietly(writerLog).lastAcknowledgedAt().isPresent(), timeout,
        () -> "the writer beside the primary committed nothing within " + timeout);
  }

  private static ProbeResults readQuietly(Path writerLog) {
    try {
      return ProbeLog.read(writerLog);
    } catch (IllegalArgumentException notYetStarted) {
      return new ProbeResults("", List.of());
    }
  }
}
