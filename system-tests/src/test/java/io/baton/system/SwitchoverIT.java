package io.baton.system;

import static io.baton.system.ClusterAssertions.assertOnePrimaryAllStreaming;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.client.operator.RequestClient;
import io.baton.events.ClusterEvent;
import io.baton.events.EventType;
import io.baton.events.MasterRecord;
import io.baton.events.RequestOutcome;
import io.baton.events.RequestedAction;
import io.baton.lab.ClusterChecks;
import io.baton.lab.Lab;
import io.baton.testkit.kafka.TestKafka;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.probe.Outage;
import io.baton.testkit.probe.WriteProbe;
import io.baton.testkit.process.Signal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Planned switchovers and Kubernetes preStop handovers (seed 000), under a continuous writer:
 * no acknowledged write lost, about a second of write unavailability, and the edge cases of a
 * node-pool upgrade.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwitchoverIT {
  private static final Duration SETTLE = Duration.ofSeconds(120);
  private static Lab lab;
  private static RequestClient requests;
  private MasterRecord before;
  private int mastersBefore;

  @BeforeAll
  static void start() {
    lab = Lab.builder().cluster("switchover").bootstrapServers(TestKafka.bootstrapServers())
        .agentSetting("logger.levels.io.baton.agent", "DEBUG").start();
    requests = lab.requests();
  }

  @AfterAll
  static void stop() {
    if (requests != null) {
      requests.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @BeforeEach
  void healthy() throws Exception {
    before = assertOnePrimaryAllStreaming(lab, SETTLE);
    mastersBefore = lab.masters().size();
  }

  private List<MasterRecord> newMasters() {
    return lab.masters().values().subList(mastersBefore, lab.masters().size()).stream()
        .filter(m -> m.cluster().equals(lab.cluster()))
        .toList();
  }

  private List<String> standbys(MasterRecord master) {
    return lab.postgres().nodes().stream().map(PostgresNode::name).filter(n -> !n.equals(master.node())).toList();
  }

  private RequestClient.Answer switchover(Optional<String> to) {
    return requests.submit(
        lab.cluster(), new RequestedAction.Switchover(Optional.empty(), to), Duration.ofSeconds(30), e -> {});
  }

  /** A pod deleted after its preStop hook, then scheduled again: its agent restarts. */
  private void podReplaced(String node) {
    lab.stopAgent(node);
    lab.startAgent(node);
  }

  @Test
  @Order(1)
  void aSwitchoverUnderAWriterLosesNothingAndChangesTheMasterOnce() throws Exception {
    String target = standbys(before).get(0);
    try (WriteProbe probe = ClusterChecks.startProbe(lab)) {
      ClusterChecks.sleep(Duration.ofSeconds(1));
      long requestedAt = System.nanoTime();
      RequestClient.Answer answer = switchover(Optional.of(target));
      assertTrue(answer.finished());
      assertEquals(RequestOutcome.COMPLETED, answer.last().flatMap(ClusterEvent::outcome).orElseThrow(),
          answer.last().map(ClusterEvent::message).orElse(""));
      ClusterChecks.awaitWritesAfter(probe, System.nanoTime(), Duration.ofSeconds(10));
      probe.close();
      assertEquals(List.of(), ClusterChecks.lostWrites(lab, probe.results()));
      Duration outage = probe.outages().stream().filter(o -> o.startNanos() >= requestedAt)
          .map(Outage::duration).max(Duration::compareTo).orElse(Duration.ZERO);
      assertTrue(outage.compareTo(Duration.ofSeconds(3)) < 0, "write outage " + outage);
      System.out.printf("switchover to %s: write outage %d ms%n", target, outage.toMillis());
    }
    MasterRecord after = assertOnePrimaryAllStreaming(lab, SETTLE);
    assertEquals(target, after.node());
    assertEquals(List.of(target), newMasters().stream().map(MasterRecord::node).toList());
  }

  @Test
  @Order(2)
  void aPreStopHandoverOnTheWrongNodeIsAStandbyReturningAtOnce() throws Exception {
    String standby = standbys(before).get(0);
    long started = System.nanoTime();
    Lab.CommandResult result = lab.handover(standby, Duration.ofSeconds(25));
    assertEquals(0, result.exitStatus(), result.output());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0);
    assertTrue(result.output().contains("marked leaving"), result.output());
    lab.awaitEvent(0, EventType.NODE_LEAVING, e -> e.node().orElse("").equals(standby), Duration.ofSeconds(10));
    // a leaving node is never a switchover target
    RequestClient.Answer refused = switchover(Optional.of(standby));
    assertEquals(RequestOutcome.REFUSED, refused.last().flatMap(ClusterEvent::outcome).orElseThrow());
    assertTrue(refused.last().orElseThrow().message().contains(standby + ": leaving"), refused.last().orElseThrow().message());
    assertTrue(newMasters().isEmpty());
    podReplaced(standby);
  }

  @Test
  @Order(3)
  void standbysDrainedFirstThenThePrimaryGiveExactlyOneMasterChange() throws Exception {
    List<String> standbys = standbys(before);
    try (WriteProbe probe = ClusterChecks.startProbe(lab)) {
      assertEquals(0, lab.handover(standbys.get(1), Duration.ofSeconds(25)).exitStatus());
      Lab.CommandResult primary = lab.handover(before.node(), Duration.ofSeconds(25));
      assertEquals(0, primary.exitStatus(), primary.output());
      probe.close();
      assertEquals(List.of(), ClusterChecks.lostWrites(lab, probe.results()));
    }
    assertEquals(List.of(standbys.get(0)), newMasters().stream().map(MasterRecord::node).toList(),
        "the only standby not leaving takes over, once");
    podReplaced(standbys.get(1));
    podReplaced(before.node());
  }

  @Test
  @Order(4)
  void thePrimaryDrainedThenTheNewPrimaryWithinSecondsHandsOverTwiceWithoutLosingWrites() throws Exception {
    try (WriteProbe probe = ClusterChecks.startProbe(lab)) {
      Lab.CommandResult first = lab.handover(before.node(), Duration.ofSeconds(25));
      assertEquals(0, first.exitStatus(), first.output());
      MasterRecord second = lab.master().orElseThrow();
      assertNotEquals(before.node(), second.node());
      Lab.CommandResult again = lab.handover(second.node(), Duration.ofSeconds(25));
      assertEquals(0, again.exitStatus(), again.output());
      probe.close();
      assertEquals(List.of(), ClusterChecks.lostWrites(lab, probe.results()));
    }
    List<String> masters = newMasters().stream().map(MasterRecord::node).toList();
    assertEquals(2, masters.size(), "two handovers, two master changes: " + masters);
    assertTrue(!masters.get(1).equals(before.node()), "the leaving primary is never re-elected: " + masters);
    podReplaced(before.node());
    podReplaced(masters.get(0));
  }

  @Test
  @Order(5)
  void aSwitchoverIsRefusedInMaintenanceMode() {
    requests.submit(lab.cluster(), new RequestedAction.SetMaintenance(true), Duration.ofSeconds(30), e -> {});
    try {
      RequestClient.Answer answer = switchover(Optional.empty());
      assertEquals(RequestOutcome.REFUSED, answer.last().flatMap(ClusterEvent::outcome).orElseThrow());
      assertEquals("switchover refused: the cluster is in maintenance mode", answer.last().orElseThrow().message());
    } finally {
      requests.submit(lab.cluster(), new RequestedAction.SetMaintenance(false), Duration.ofSeconds(30), e -> {});
    }
    assertTrue(newMasters().isEmpty());
  }

  @Test
  @Order(6)
  void aTargetThatDiesBeforeItIsSynchronousAbortsWithoutBlockingWrites() throws Exception {
    String target = standbys(before).get(0);
    int eventsBefore = lab.events().size();
    try (WriteProbe probe = ClusterChecks.startProbe(lab)) {
      ClusterChecks.sleep(Duration.ofSeconds(1));
      // The target's agent frozen: it must not restart its PostgreSQL, which would stream and
      // become synchronous after all. The primary's agent frozen for a moment: its last
      // heartbeat shows the target streaming, so the switchover starts whatever the timing,
      // and the primary only applies the target as synchronous standby once the target is dead.
      // Well within fence-after, so the primary keeps its lease.
      lab.agent(target).signal(Signal.STOP);
      lab.agent(before.node()).signal(Signal.STOP);
      CompletableFuture<RequestClient.Answer> answer =
          CompletableFuture.supplyAsync(() -> switchover(Optional.of(target)));
      long killedAt;
      try {
        lab.awaitEvent(eventsBefore, EventType.SWITCHOVER_STARTED,
            e -> e.node().equals(Optional.of(target)), Duration.ofSeconds(10));
        lab.postgres().killPostmaster(lab.postgres().node(target));
        killedAt = System.nanoTime();
      } finally {
        lab.agent(before.node()).signal(Signal.CONT);
      }
      RequestClient.Answer finished = answer.get();
      lab.agent(target).signal(Signal.CONT);
      assertEquals(RequestOutcome.FAILED, finished.last().flatMap(ClusterEvent::outcome).orElseThrow(),
          finished.events().toString());
      ClusterChecks.awaitWritesAfter(probe, System.nanoTime(), Duration.ofSeconds(10));
      Duration longestWrite = probe.attempts().stream().filter(a -> a.startNanos() >= killedAt)
          .map(a -> a.duration()).max(Duration::compareTo).orElse(Duration.ZERO);
      assertTrue(longestWrite.compareTo(Duration.ofSeconds(8)) < 0, "writes blocked for " + longestWrite);
      assertEquals(List.of(), ClusterChecks.lostWrites(lab, probe.results()));
    }
    assertTrue(newMasters().isEmpty(), "aborted before the drain: the primary stays");
  }

  @Test
  @Order(7)
  void aCoordinatorRestartedInTheMiddleOfASwitchoverFinishesIt() throws Exception {
    String target = standbys(before).get(0);
    CompletableFuture<RequestClient.Answer> answer =
        CompletableFuture.supplyAsync(() -> switchover(Optional.of(target)));
    lab.awaitEvent(0, EventType.SWITCHOVER_STARTED, e -> e.node().orElse("").equals(target), Duration.ofSeconds(20));
    lab.coordinator().signal(Signal.KILL);
    lab.startCoordinator();
    MasterRecord after = lab.awaitMaster(m -> m.epoch() > before.epoch(), Duration.ofSeconds(60));
    assertEquals(target, after.node());
    answer.get();
    assertOnePrimaryAllStreaming(lab, SETTLE);
    assertEquals(1, newMasters().size());
  }

  @Test
  @Order(8)
  void theCoordinatorsHttpApiSwitchesOverAndShowsTheCluster() throws Exception {
    String target = standbys(before).get(0);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String api = "http://127.0.0.1:" + lab.coordinatorPort() + "/clusters/" + lab.cluster();
    java.net.http.HttpResponse<String> switched =
        http.send(
            lab.operatorAccess().authorize(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/switchover")))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"to\": \"" + target + "\"}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, switched.statusCode(), switched.body());
    var answer = io.baton.events.EventCodec.mapper().readTree(switched.body());
    assertEquals("completed", answer.get("outcome").asText());
    assertTrue(answer.get("events").size() >= 3, "every step is in the answer: " + switched.body());
    assertEquals(target, lab.awaitMaster(m -> m.epoch() > before.epoch(), Duration.ofSeconds(30)).node());

    java.net.http.HttpResponse<String> shown =
        http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api)).GET().build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, shown.statusCode());
    var cluster = io.baton.events.EventCodec.mapper().readTree(shown.body());
    assertEquals(target, cluster.get("master").get("node").asText());
    assertEquals(3, cluster.get("nodes").size());

    java.net.http.HttpResponse<String> refused =
        http.send(
            lab.operatorAccess().authorize(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/switchover")))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"to\": \"n9\"}")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(409, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("n9 is not a known node"), refused.body());
  }
}
