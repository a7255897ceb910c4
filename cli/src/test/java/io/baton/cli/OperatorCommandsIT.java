package io.baton.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.events.MasterRecord;
import io.baton.lab.Lab;
import io.baton.testkit.kafka.TestKafka;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The CLI against a real deployment, as a story on one cluster: status, a switchover to n2,
 * maintenance blocking a switchover, the events of all that, and status with the coordinator
 * down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorCommandsIT {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final String CLUSTER = "cli-ops";
  private static Lab lab;

  @BeforeAll
  static void start() {
    lab = Lab.builder().cluster(CLUSTER).bootstrapServers(TestKafka.bootstrapServers()).start();
    lab.awaitAllStreaming(SETTLE);
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  @Order(1)
  void statusShowsTheMasterAndEveryNodeStreaming() throws Exception {
    MasterRecord master = lab.awaitAllStreaming(SETTLE);

    CliRun run = CliRun.until(lab, r -> CliRun.showsAllStreaming(r, CLUSTER, master.node()), "status", CLUSTER);

    assertTrue(CliRun.showsAllStreaming(run, CLUSTER, master.node()), run.transcript());
    assertTrue(run.out().contains("epoch " + master.epoch() + ", timeline " + master.timeline()), run.transcript());
    assertTrue(run.out().contains("Maintenance: off"), run.transcript());
  }

  @Test
  @Order(2)
  void statusAsJson() throws Exception {
    MasterRecord master = lab.awaitAllStreaming(SETTLE);

    CliRun run = CliRun.of(lab, "status", CLUSTER, "--json");

    assertEquals(0, run.exitCode(), run.transcript());
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertEquals(master.node(), json.get("master").get("node").asText());
    assertEquals(3, json.get("nodes").size());
    for (JsonNode node : json.get("nodes")) {
      assertEquals("up", node.get("health").asText(), run.out());
      assertTrue(node.get("heartbeatAge").asText().startsWith("PT"), run.out());
    }
  }

  @Test
  @Order(3)
  void switchoverToN2CompletesAndN2BecomesTheMaster() {
    MasterRecord before = lab.awaitAllStreaming(SETTLE);
    assertEquals("n1", before.node(), "the lab starts with n1 as primary");

    CliRun run = CliRun.of(lab, "switchover", CLUSTER, "--to", "n2");

    assertEquals(0, run.exitCode(), run.transcript());
    assertTrue(run.out().contains("switchover-started"), run.transcript());
    assertTrue(run.out().contains("completed: switchover from n1 to n2 completed in"), run.transcript());
    MasterRecord after = lab.awaitMaster(m -> m.epoch() > before.epoch(), Duration.ofSeconds(30));
    assertEquals("n2", after.node());
  }

  @Test
  @Order(4)
  void inMaintenanceASwitchoverIsRefused() {
    lab.awaitAllStreaming(SETTLE);
    CliRun on = CliRun.of(lab, "maintenance", CLUSTER, "on");
    try {
      assertEquals(0, on.exitCode(), on.transcript());
      assertTrue(on.out().contains("completed: maintenance mode on"), on.transcript());

      CliRun switchover = CliRun.of(lab, "switchover", CLUSTER);

      assertEquals(1, switchover.exitCode(), switchover.transcript());
      assertTrue(switchover.out().contains("refused: switchover refused: the cluster is in maintenance mode"),
          switchover.transcript());
      CliRun status = CliRun.of(lab, "status", CLUSTER);
      assertTrue(status.out().contains("Maintenance: on (since "), status.transcript());
    } finally {
      CliRun off = CliRun.of(lab, "maintenance", CLUSTER, "off");
      assertEquals(0, off.exitCode(), off.transcript());
    }
  }

  @Test
  @Order(5)
  void eventsShowWhatHappenedWithTheRequestsAnswered() {
    CliRun run = CliRun.of(lab, "events", CLUSTER, "--since", "10m");

    assertEquals(0, run.exitCode(), run.transcript());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.stream().anyMatch(l -> l.contains("switchover-completed") && l.contains(", completed]")),
        run.transcript());
    assertTrue(lines.stream().anyMatch(l -> l.contains("switchover-refused") && l.contains(", refused: maintenance]")),
        run.transcript());
    assertTrue(lines.stream().anyMatch(l -> l.contains("maintenance-changed") && l.contains("maintenance mode off")),
        run.transcript());
    assertTrue(lines.stream().anyMatch(l -> l.contains("promoted") && l.contains("n2")), run.transcript());
  }

  @Test
  @Order(6)
  void withTheCoordinatorDownStatusStillWorksAndARequestTimesOut() throws Exception {
    MasterRecord master = lab.awaitAllStreaming(SETTLE);
    lab.coordinator().close();

    CliRun status = CliRun.until(lab, r -> CliRun.showsAllStreaming(r, CLUSTER, master.node()), "status", CLUSTER);
    CliRun request = CliRun.of(lab, "maintenance", CLUSTER, "on", "--timeout", "2s");

    assertTrue(CliRun.showsAllStreaming(status, CLUSTER, master.node()), status.transcript());
    assertEquals(3, request.exitCode(), request.transcript());
    assertTrue(request.out().contains("no answer at all: is the coordinator running?"), request.transcript());
  }
}
