package io.baton.system;

import static io.baton.system.ClusterAssertions.assertOnePrimaryAllStreaming;
import static io.baton.system.ClusterAssertions.assertStory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.events.EventType;
import io.baton.events.MasterRecord;
import io.baton.lab.ClusterChecks;
import io.baton.lab.Lab;
import io.baton.testkit.netns.Namespace;
import io.baton.testkit.postgres.Credentials;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.probe.Attempt;
import io.baton.testkit.probe.ProbeLog;
import io.baton.testkit.probe.ProbeResults;
import io.baton.testkit.probe.ProbeWriterMain;
import io.baton.testkit.probe.WriteProbe;
import io.baton.testkit.process.ChildProcess;
import io.baton.testkit.process.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The primary cut off from Kafka (and from everything else) by a real network cut: each node and
 * its agent live in a network namespace, and the primary's link is taken down. A second writer
 * inside the primary's namespace keeps writing to it directly; its last acknowledged commit must
 * end before the first commit on the new primary began. Both writers stamp attempts with
 * CLOCK_MONOTONIC, shared by every process on the machine, so the stamps compare directly.
 */
class PartitionIT {

  @Test
  void aPrimaryCutOffFromKafkaStopsCommittingBeforeTheNewPrimaryStartsAndRejoinsAfterTheHeal()
      throws Exception {
    try (Lab lab = Lab.builder().cluster("partition").inNamespaces().start()) {
      MasterRecord before = assertOnePrimaryAllStreaming(lab, Duration.ofSeconds(120));
      int eventsBefore = lab.events().size();
      PostgresNode old = lab.postgres().node(before.node());
      Namespace namespace = lab.network().orElseThrow().namespaces().stream()
          .filter(ns -> ns.name().equals(old.namespace().orElseThrow())).findFirst().orElseThrow();
      Credentials app = lab.postgres().appCredentials();
      Path besideOldPrimary = Files.createTempFile("baton-partition-writer", ".log");
      try (WriteProbe client = ClusterChecks.startProbe(lab);
          ChildProcess writer =
              ProbeWriterMain.launcher(
                      "jdbc:postgresql://" + old.host() + ":" + old.port()
                          + "/app?connectTimeout=1&socketTimeout=2",
                      app.user(), app.password(), "beside-old-primary", besideOldPrimary)
                  .inNamespace(namespace.name())
                  .start()) {
        ClusterChecks.sleep(Duration.ofSeconds(2));
        long cutAt = System.nanoTime();
        lab.network().orElseThrow().cut(namespace);
        MasterRecord after = lab.awaitMaster(m -> m.epoch() > before.epoch(), Duration.ofSeconds(60));
        assertNotEquals(before.node(), after.node());
        ClusterChecks.awaitWritesAfter(client, System.nanoTime(), Duration.ofSeconds(30));
        ClusterChecks.sleep(Duration.ofSeconds(2));
        writer.signal(Signal.TERM);
        writer.waitFor(Duration.ofSeconds(10));

        ProbeResults oldSide = ProbeLog.read(besideOldPrimary);
        Optional<Long> lastOldCommit = oldSide.lastAcknowledgedAt();
        // The cut takes effect some milliseconds after cutAt (ip link runs as a process): writes
        // in between still reach the old primary. The new primary's first commit is the first
        // acknowledged write after the client's first failure, once the old primary was cut off.
        long firstFailure = client.attempts().stream()
            .filter(a -> !a.isAcknowledged() && a.endNanos() - cutAt > 0)
            .findFirst().orElseThrow(() -> new AssertionError("the client never failed")).startNanos();
        Attempt firstNewCommit = client.firstAcknowledgedAfter(firstFailure).orElseThrow();
        assertTrue(lastOldCommit.isPresent(), "the writer beside the old primary wrote before the cut");
        long gapNanos = firstNewCommit.startNanos() - lastOldCommit.get();
        assertTrue(
            gapNanos > 0,
            "the old primary acknowledged a commit " + Duration.ofNanos(-gapNanos).toMillis()
                + " ms after the new primary had begun accepting writes; client attempts from"
                + " the cut on (ms after the cut):\n" + client.attempts().stream()
                    .filter(a -> a.endNanos() - cutAt > 0).limit(40)
                    .map(a -> Duration.ofNanos(a.startNanos() - cutAt).toMillis() + ".."
                        + Duration.ofNanos(a.endNanos() - cutAt).toMillis() + " " + a.outcome()
                        + a.error().map(e -> " " + e).orElse(""))
                    .collect(java.util.stream.Collectors.joining("\n"))
                + "\nold side's last acknowledged commit at "
                + Duration.ofNanos(lastOldCommit.get() - cutAt).toMillis() + " ms");
        System.out.printf(
            "partition: old primary's last commit %d ms after the cut, new primary's first %d ms"
                + " after the cut: the windows are %d ms apart%n",
            Duration.ofNanos(lastOldCommit.get() - cutAt).toMillis(),
            Duration.ofNanos(firstNewCommit.startNanos() - cutAt).toMillis(),
            Duration.ofNanos(gapNanos).toMillis());
      } finally {
        lab.network().orElseThrow().heal(namespace);
        Files.deleteIfExists(besideOldPrimary);
      }
      assertOnePrimaryAllStreaming(lab, Duration.ofSeconds(120));
      assertStory(lab, eventsBefore, EventType.PRIMARY_LOST, EventType.CANDIDATE_CHOSEN,
          EventType.PROMOTED, EventType.NODE_REJOINED);
    }
  }

  /**
   * A cut long enough for the primary to fence itself but too short for anyone to be promoted (a
   * Kafka blip): the agent proves it from the broker's append times of its heartbeats before and
   * after the cut (never failover-after apart) and brings PostgreSQL back as the primary on its
   * own; no failover, no new master record. Faster heartbeats and fencing make the window
   * certain: fence-after 2 s + margin 1 s is still within failover-after 5 s.
   */
  @Test
  void aPrimaryCutOffBrieflyFencesItselfAndUnfencesWithoutAFailover() throws Exception {
    try (Lab lab = Lab.builder().cluster("blip").inNamespaces()
        .agentSetting("baton.agent.heartbeat-interval", "200ms")
        .agentSetting("baton.agent.fence-after", "2s")
        .start()) {
      MasterRecord before = assertOnePrimaryAllStreaming(lab, Duration.ofSeconds(120));
      int eventsBefore = lab.events().size();
      int mastersBefore = lab.masters().size();
      PostgresNode primary = lab.postgres().node(before.node());
      Namespace namespace = lab.network().orElseThrow().namespaces().stream()
          .filter(ns -> ns.name().equals(primary.namespace().orElseThrow())).findFirst().orElseThrow();
      try (WriteProbe client = ClusterChecks.startProbe(lab)) {
        ClusterChecks.sleep(Duration.ofSeconds(1));
        lab.network().orElseThrow().cut(namespace);
        ClusterChecks.sleep(Duration.ofMillis(2600));
        lab.network().orElseThrow().heal(namespace);
        long healedAt = System.nanoTime();
        ClusterChecks.awaitWritesAfter(client, healedAt, Duration.ofSeconds(30));
        client.close();
        assertTrue(
            lab.agent(before.node()).lines().stream().anyMatch(l -> l.contains("unfencing")),
            "the agent fenced and unfenced PostgreSQL");
        assertEquals(List.of(), ClusterChecks.lostWrites(lab, client.results()));
      }
      assertOnePrimaryAllStreaming(lab, Duration.ofSeconds(60));
      assertEquals(before, lab.master().orElseThrow(), "the same primary, the same epoch");
      assertEquals(mastersBefore, lab.masters().size(), "no master record written");
      assertTrue(
          ClusterAssertions.eventTypes(lab, eventsBefore).stream().noneMatch(t -> t == EventType.PRIMARY_LOST),
          lab.describeEvents());
    }
  }
}
