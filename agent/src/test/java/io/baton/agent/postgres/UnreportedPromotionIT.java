package io.baton.agent.postgres;

import static io.baton.agent.postgres.ClusterNodes.agentOf;
import static io.baton.agent.postgres.ClusterNodes.await;
import static io.baton.agent.postgres.ClusterNodes.count;
import static io.baton.agent.postgres.ClusterNodes.execute;
import static io.baton.agent.postgres.ClusterNodes.upstream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.agent.postgres.PostgresControl.StartAs;
import io.baton.events.DataDirectoryStatus;
import io.baton.events.Lsn;
import io.baton.events.PostgresStatus;
import io.baton.testkit.postgres.PostgresCluster;
import io.baton.testkit.postgres.PostgresNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A candidate that promoted and wrote, but was lost before the coordinator heard of it; another
 * standby of the same timeline is promoted in its place. Found by the fault campaign (seed 1203):
 * both took timeline 4, pg_rewind compared the numbers and found "no rewind required", and the
 * first never streamed again. And a rewind from a switchover target still promoting (seed 1203,
 * step 26): pg_rewind took the source's old timeline from its control file, and the rewound
 * node never started again.
 */
class UnreportedPromotionIT {
  private static final Duration SOON = Duration.ofSeconds(20);

  @Test
  void aRewindWaitsUntilItsSourceHasLeftRecovery() throws Exception {
    try (PostgresCluster cluster = PostgresCluster.builder().nodes(2).build()) {
      PostgresNode node1 = cluster.node("n1");
      PostgresNode node2 = cluster.node("n2");
      try (LocalPostgres n1 = agentOf(cluster, node1);
          LocalPostgres n2 = agentOf(cluster, node2)) {
        n1.start(new StartAs.Primary(""));
        n2.start(new StartAs.Standby(Optional.of(upstream(node1))));
        execute(cluster, node1, "app", "CREATE TABLE t (id int PRIMARY KEY)");
        Lsn written = n1.observe().currentLsn().orElseThrow();
        await("n2 replayed " + written, SOON, n2::observe,
            s -> s.replayedLsn().filter(l -> l.isAtLeast(written)).isPresent());
        n1.stopCleanly();

        PostgresException early = assertThrows(PostgresException.class,
            () -> n1.rewind(upstream(node2)));
        assertTrue(early.getMessage().contains("still in recovery"), early.getMessage());
        assertEquals(Optional.of(false),
            n1.controlData().map(DataDirectoryStatus::standbySignal), "the target is untouched");

        n2.promote(0);
        n1.rewind(upstream(node2));
        n1.start(new StartAs.Standby(Optional.of(upstream(node2))));
        await("n1 streaming from n2", SOON, n1::observe,
            s -> s.receiver().filter(r -> r.isStreamingFrom(node2.host(), node2.port()))
                .isPresent());
      }
    }
  }

  @Test
  void aCandidatePromotedUnheardRejoinsTheNextPrimaryByRewind() throws Exception {
    try (PostgresCluster cluster = PostgresCluster.builder().nodes(3).build()) {
      PostgresNode node1 = cluster.node("n1");
      PostgresNode node2 = cluster.node("n2");
      PostgresNode node3 = cluster.node("n3");
      try (LocalPostgres n1 = agentOf(cluster, node1);
          LocalPostgres n2 = agentOf(cluster, node2);
          LocalPostgres n3 = agentOf(cluster, node3)) {
        n1.start(new StartAs.Primary(""));
        n2.start(new StartAs.Standby(Optional.of(upstream(node1))));
        n3.start(new StartAs.Standby(Optional.of(upstream(node1))));
        execute(cluster, node1, "app", "CREATE TABLE t (id int PRIMARY KEY)");
        execute(cluster, node1, "app", "INSERT INTO t SELECT generate_series(1, 100)");
        Lsn written = n1.observe().currentLsn().orElseThrow();
        for (LocalPostgres standby : List.of(n2, n3)) {
          await("standby replayed " + written, SOON, standby::observe,
              s -> s.replayedLsn().filter(l -> l.isAtLeast(written)).isPresent());
        }
        n1.fence();

        // The coordinator's first candidate: promoted (above the cluster's timeline 1), wrote,
        // then lost before it reported.
        n2.promote(1);
        execute(cluster, node2, "app", "INSERT INTO t VALUES (1001)");
        assertEquals(OptionalLong.of(2), n2.observe().timeline());
        n2.fence();

        // The next candidate, told that timeline 2 may be taken.
        n3.promote(2);
        assertEquals(OptionalLong.of(3), n3.observe().timeline());
        execute(cluster, node3, "app", "INSERT INTO t VALUES (2001)");

        n2.rewind(upstream(node3));
        n2.start(new StartAs.Standby(Optional.of(upstream(node3))));
        PostgresStatus rejoined = await("n2 streaming from n3", SOON, n2::observe,
            s -> s.receiver().filter(r -> r.isStreamingFrom(node3.host(), node3.port()))
                .isPresent());
        assertEquals(OptionalLong.of(3), rejoined.timeline());
        Lsn after = n3.observe().currentLsn().orElseThrow();
        await("n2 replayed " + after, SOON, n2::observe,
            s -> s.replayedLsn().filter(l -> l.isAtLeast(after)).isPresent());
        // Its own write is gone with its timeline; the new primary's is there.
        assertEquals(0, count(cluster, node2, "app", "SELECT count(*) FROM t WHERE id = 1001"));
        assertEquals(1, count(cluster, node2, "app", "SELECT count(*) FROM t WHERE id = 2001"));
      }
    }
  }
}
