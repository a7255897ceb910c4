package io.baton.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.events.MasterRecord;
import io.baton.lab.Lab;
import io.baton.testkit.kafka.TestKafka;
import io.baton.testkit.postgres.PostgresNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code baton rolling-restart} on a real 3-node cluster through the agents' restart API. */
class RollingRestartIT {
  private static final String CLUSTER = "cli-roll";
  private static Lab lab;

  @BeforeAll
  static void start() {
    lab = Lab.builder().cluster(CLUSTER).bootstrapServers(TestKafka.bootstrapServers()).start();
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  private static Map<String, Optional<Long>> postmasterPids() {
    Map<String, Optional<Long>> pids = new LinkedHashMap<>();
    for (PostgresNode node : lab.postgres().nodes()) {
      pids.put(node.name(), lab.postgres().postmasterPid(node));
    }
    return pids;
  }

  private static List<MasterRecord> mastersAfter(MasterRecord before) {
    return lab.masters().values().stream()
        .filter(m -> m.cluster().equals(CLUSTER) && m.epoch() > before.epoch())
        .toList();
  }

  @Test
  void restartsEveryNodeWithExactlyOneNewMaster() throws Exception {
    MasterRecord before = lab.awaitAllStreaming(Duration.ofSeconds(60));
    CliRun status = CliRun.until(lab, r -> CliRun.showsAllStreaming(r, CLUSTER, before.node()), "status", CLUSTER);
    assertTrue(CliRun.showsAllStreaming(status, CLUSTER, before.node()), status.transcript());
    Map<String, Optional<Long>> pidsBefore = postmasterPids();

    CliRun run = CliRun.of(lab, "rolling-restart", CLUSTER, "--catch-up-timeout", "90s", "--timeout", "3m");

    assertEquals(0, run.exitCode(), run.transcript());
    assertTrue(run.out().contains("rolling restart of " + CLUSTER + " completed in"), run.transcript());
    MasterRecord after = lab.awaitAllStreaming(Duration.ofSeconds(30));
    List<MasterRecord> newMasters = mastersAfter(before);
    assertEquals(1, newMasters.size(), "master records after epoch " + before.epoch() + ": " + newMasters);
    assertEquals(newMasters.get(0), after);
    assertNotEquals(before.node(), after.node());
    Map<String, Optional<Long>> pidsAfter = postmasterPids();
    for (String node : pidsBefore.keySet()) {
      assertTrue(pidsBefore.get(node).isPresent() && pidsAfter.get(node).isPresent(),
          node + ": " + pidsBefore.get(node) + " -> " + pidsAfter.get(node));
      assertNotEquals(pidsBefore.get(node), pidsAfter.get(node), node + "'s postmaster was not restarted");
    }
  }
}
