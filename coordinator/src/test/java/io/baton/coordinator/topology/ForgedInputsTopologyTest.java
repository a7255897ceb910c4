package io.baton.coordinator.topology;

import static io.baton.coordinator.decision.NodeReport.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.coordinator.cluster.ClusterState;
import io.baton.coordinator.decision.Decider;
import io.baton.coordinator.decision.NodeReport;
import io.baton.coordinator.policy.Policy;
import io.baton.coordinator.trust.TrustSettings;
import io.baton.events.Assignment;
import io.baton.events.ClockTick;
import io.baton.events.ClusterEvent;
import io.baton.events.EventCodec;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.Heartbeat;
import io.baton.events.MasterRecord;
import io.baton.events.OperatorRequest;
import io.baton.events.Reason;
import io.baton.events.RequestOutcome;
import io.baton.events.RequestedAction;
import io.baton.events.TopicNames;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Findings 1 and 2 of issue 9: only the node a heartbeat names, with its enrolled key, and only
 * an operator the coordinator knows, allowed for the cluster, can move a primary. Everything
 * else lands in the dead letters, says so on the events topic, and changes nothing.
 */
class ForgedInputsTopologyTest {
  private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
  private static final TopicNames TOPICS = TopicNames.defaults();

  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> heartbeats;
  private TestInputTopic<String, byte[]> requests;
  private TestInputTopic<String, byte[]> enrollments;
  private TestOutputTopic<String, byte[]> master;
  private TestOutputTopic<String, byte[]> assignments;
  private TestOutputTopic<String, byte[]> events;
  private TestOutputTopic<String, byte[]> deadLetters;
  private final Identities identities = new Identities();
  private long sequence;

  private void start(TrustSettings trust) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "baton-coordinator-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(
        CoordinatorTopology.build(TOPICS, new Decider(Policy.defaults()), Duration.ofMillis(500),
            trust),
        props, T0);
    heartbeats = input(TOPICS.heartbeats());
    requests = input(TOPICS.requests());
    enrollments = input(TOPICS.enrollments());
    master = output(TOPICS.master());
    assignments = output(TOPICS.assignments());
    events = output(TOPICS.events());
    deadLetters = output(TOPICS.deadLetters());
  }

  /** n1, n2, n3 of orders and n1 of billing enrolled; n1 adopted, confirmed; n2 and n3 follow. */
  private Assignment enrolledCluster() {
    start(Identities.trust());
    for (String n : List.of("n1", "n2", "n3")) {
      enrollments.pipeInput(identities.enrollment("orders", n, T0));
    }
    enrollments.pipeInput(identities.enrollment("billing", "n1", T0));
    report(node("n1").primary("0/3000000"), 0);
    Assignment primary = latestAssignments().get("orders/n1");
    report(node("n1").primary("0/3000000").accepted(primary), 0.1);
    report(node("n2").standbyOf("n1", "0/3000000"), 0.2);
    report(node("n3").standbyOf("n1", "0/3000000"), 0.2);
    assertEquals("n1", EventCodec.read(master.readValue(), MasterRecord.class).node());
    assignments.readRecordsToList();
    events.readRecordsToList();
    return primary;
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  // ---------------------------------------------------------------- heartbeats

  @Test
  void aHeartbeatSignedWithAKeyNobodyEnrolledChangesNothing() {
    Assignment primary = enrolledCluster();
    Heartbeat forged = relinquishing(primary);
    assertChangesNothing(() -> heartbeats.pipeInput(
        Identities.heartbeat(forged, Identities.MALLORY, at(0.3))), "bad-signature");
  }

  @Test
  void aHeartbeatSignedWithAnotherNodesKeyChangesNothing() {
    Assignment primary = enrolledCluster();
    KeyPair n2 = identities.node("orders", "n2");
    assertChangesNothing(() -> heartbeats.pipeInput(
        Identities.heartbeat(relinquishing(primary), n2, at(0.3))), "bad-signature");
  }

  @Test
  void aHeartbeatSignedWithTheSameNodesKeyOfAnotherClusterChangesNothing() {
    Assignment primary = enrolledCluster();
    KeyPair billingN1 = identities.node("billing", "n1");
    assertChangesNothing(() -> heartbeats.pipeInput(
        Identities.heartbeat(relinquishing(primary), billingN1, at(0.3))), "bad-signature");
  }

  @Test
  void anUnsignedHeartbeatChangesNothing() {
    Assignment primary = enrolledCluster();
    assertChangesNothing(() -> heartbeats.pipeInput(
        Identities.unsigned(relinquishing(primary), at(0.3))), "unsigned");
  }

  @Test
  void aHeartbeatOfANodeNobodyEnrolledChangesNothing() {
    enrolledCluster();
    Heartbeat stranger = node("n9").primary("0/9000000").build(sequence++, at(0.3));
    assertChangesNothing(() -> heartbeats.pipeInput(
        Identities.heartbeat(stranger, Identities.MALLORY, at(0.3))), "not-enrolled");
  }

  /**
   * Finding 1: a forged relinquishedGeneration of the primary would have the coordinator
   * promote a standby at once, without waiting for the lease. The same heartbeat signed by n1
   * itself does fail over, so the test can see a failover when there is one.
   */
  @Test
  void aForgedRelinquishedGenerationOfThePrimaryPromotesNobody() {
    Assignment primary = enrolledCluster();
    assertChangesNothing(() -> heartbeats.pipeInput(
        Identities.heartbeat(relinquishing(primary), Identities.MALLORY, at(0.3))),
        "bad-signature");

    heartbeats.pipeInput(identities.heartbeat(relinquishing(primary), at(0.4)));
    assertTrue(readEvents().stream().anyMatch(e -> e.type() == EventType.PRIMARY_LOST),
        "the genuine heartbeat fails over");
  }

  /**
   * Finding 1: a forged host for the primary would re-point every standby's WAL receiver (and
   * its password) at another server. Neither a forger, nor n1's own key, can move n1's address:
   * only enrolling it again does.
   */
  @Test
  void aForgedHostOfThePrimaryChangesNothing() {
    Assignment primary = enrolledCluster();
    Heartbeat elsewhere = node("n1").primary("0/3000100").accepted(primary).host("10.6.6.6")
        .build(sequence++, at(0.3));
    assertChangesNothing(() -> heartbeats.pipeInput(
        Identities.heartbeat(elsewhere, Identities.MALLORY, at(0.3))), "bad-signature");
    assertChangesNothing(() -> heartbeats.pipeInput(
        identities.heartbeat(elsewhere, at(0.31))), "address-mismatch");
  }

  @Test
  void aNodeEnrolledAgainAtANewAddressIsBelievedThereAndNoLongerAtTheOld() {
    Assignment primary = enrolledCluster();
    enrollments.pipeInput(identities.enrollment("orders", "n3", "127.0.0.3",
        NodeReport.port("n3"), Identities.ALICE, "alice", at(0.25)));
    heartbeats.pipeInput(identities.heartbeat(
        node("n3").standbyOf("n1", "0/3000000").host("127.0.0.3").build(sequence++, at(0.3)),
        at(0.3)));
    assertTrue(deadLetters.isEmpty(), "believed at its new address");
    assertChangesNothing(() -> heartbeats.pipeInput(identities.heartbeat(
        node("n3").standbyOf("n1", "0/3000000").build(sequence++, at(0.4)), at(0.4))),
        "address-mismatch");
    assertTrue(primary.generation() > 0);
  }

  @Test
  void anEnrollmentSignedByNoKnownOperatorDoesNotCount() {
    enrolledCluster();
    enrollments.pipeInput(identities.enrollment("orders", "n4", "127.0.0.1",
        NodeReport.port("n4"), Identities.MALLORY, "alice", at(0.25)));
    enrollments.pipeInput(identities.enrollment("orders", "n5", "127.0.0.1",
        NodeReport.port("n5"), Identities.MALLORY, "mallory", at(0.25)));
    enrollments.pipeInput(identities.enrollment("orders", "n6", "127.0.0.1",
        NodeReport.port("n6"), Identities.BOB, "bob", at(0.25)));
    for (String n : List.of("n4", "n5", "n6")) {
      assertChangesNothing(() -> heartbeats.pipeInput(identities.heartbeat(
          node(n).standbyOf("n1", "0/3000000").build(sequence++, at(0.3)), at(0.3))),
          "enrollment-invalid");
    }
  }

  /** A recorded heartbeat of an agent process the node has replaced cannot revive it. */
  @Test
  void aReplayedHeartbeatOfAReplacedAgentProcessChangesNothing() {
    Assignment primary = enrolledCluster();
    TestRecord<String, byte[]> recorded = identities.heartbeat(
        node("n2").standbyOf("n1", "0/3000000").build(sequence++, at(0.3)), at(0.3));
    heartbeats.pipeInput(recorded);
    heartbeats.pipeInput(identities.heartbeat(
        node("n2").standbyOf("n1", "0/3000000").restarted("n2-2").build(0, at(0.4)), at(0.4)));
    events.readRecordsToList();
    Object before = driver.getKeyValueStore(CoordinatorTopology.STORE).get("orders");

    heartbeats.pipeInput(new TestRecord<>(recorded.key(), recorded.value(), recorded.headers(),
        at(0.5)));

    assertEquals(before, driver.getKeyValueStore(CoordinatorTopology.STORE).get("orders"));
    assertTrue(events.isEmpty() && assignments.isEmpty() && master.isEmpty());
    assertTrue(primary.generation() > 0);
  }

  /** A flood of forged heartbeats: every one in the dead letters, one event. */
  @Test
  void aFloodOfForgedHeartbeatsIsToldOnceAMinute() {
    Assignment primary = enrolledCluster();
    for (int i = 0; i < 50; i++) {
      heartbeats.pipeInput(Identities.heartbeat(relinquishing(primary), Identities.MALLORY,
          at(0.3 + i * 0.01)));
    }
    assertEquals(50, deadLetters.readRecordsToList().size());
    assertEquals(1, readEvents().size());
    ticks(0.9, 62);
    heartbeats.pipeInput(Identities.heartbeat(relinquishing(primary), Identities.MALLORY,
        at(62.05)));
    assertEquals(List.of(EventType.UNVERIFIED_RECORD), readEvents().stream()
        .map(ClusterEvent::type).filter(t -> t == EventType.UNVERIFIED_RECORD).toList());
  }

  /** The preStop handover, asked in a heartbeat: only the node's own key can ask it. */
  @Test
  void onlyTheNodesOwnHeartbeatCanAskToHandItsPrimaryRoleOver() {
    Assignment primary = enrolledCluster();
    NodeReport leaving = node("n1").primary("0/3000000").accepted(primary).handover("h1")
        .replica("n2", "async", "0/3000000").replica("n3", "async", "0/3000000");
    assertChangesNothing(() -> heartbeats.pipeInput(Identities.heartbeat(
        leaving.build(sequence++, at(0.3)), Identities.MALLORY, at(0.3))), "bad-signature");

    heartbeats.pipeInput(identities.heartbeat(leaving.build(sequence++, at(0.4)), at(0.4)));
    ClusterEvent started = readEvents().stream()
        .filter(e -> e.type() == EventType.SWITCHOVER_STARTED).findFirst().orElseThrow();
    assertEquals("h1", started.requestId().orElseThrow());
    assertTrue(started.message().contains("requested by handover:n1"), started.message());
  }

  /** Migration: unenrolled nodes of a listed cluster are believed; enrolled ones still verified. */
  @Test
  void aClusterListedAsUnverifiedBelievesOnlyItsUnenrolledNodesWithoutASignature() {
    start(Identities.trust(Set.of("legacy")));
    enrollments.pipeInput(identities.enrollment("legacy", "n2", T0));
    Heartbeat n1 = node("n1").primary("0/3000000").build(sequence++, at(0));
    heartbeats.pipeInput(Identities.unsigned(legacy(n1), at(0)));
    assertTrue(latestAssignments().containsKey("legacy/n1"), "unenrolled n1 believed");
    heartbeats.pipeInput(Identities.unsigned(
        legacy(node("n2").standbyOf("n1", "0/3000000").build(sequence++, at(0.1))), at(0.1)));
    assertEquals("unsigned", refusal(deadLetters.readRecord()));
    heartbeats.pipeInput(Identities.unsigned(
        node("n1").primary("0/3000000").build(sequence++, at(0.2)), at(0.2)));
    assertEquals("not-enrolled", refusal(deadLetters.readRecord()), "orders is not listed");
  }

  // ---------------------------------------------------------------- requests

  @Test
  void anUnsignedRequestIsRefusedAndChangesNothing() {
    enrolledCluster();
    OperatorRequest maintenance = request("r1", new RequestedAction.SetMaintenance(true), 0.3);
    assertRequestRefused(() -> requests.pipeInput(new TestRecord<>(
        "orders", EventCodec.write(maintenance), at(0.3))), "r1", "unsigned");
  }

  @Test
  void aRequestNamingAnOperatorButSignedByAnotherKeyIsRefused() {
    enrolledCluster();
    OperatorRequest maintenance = request("r1", new RequestedAction.SetMaintenance(true), 0.3);
    assertRequestRefused(() -> requests.pipeInput(
        Identities.request(maintenance, Identities.MALLORY, "alice", at(0.3))),
        "r1", "bad-signature");
  }

  @Test
  void aRequestSignedByAnOperatorLimitedToAnotherClusterIsRefused() {
    enrolledCluster();
    OperatorRequest failover =
        request("r1", new RequestedAction.Failover(Optional.of("n2"), true), 0.3);
    assertRequestRefused(() -> requests.pipeInput(
        Identities.request(failover, Identities.BOB, "bob", at(0.3))),
        "r1", "operator-not-allowed");
  }

  @Test
  void aRequestIsActedOnAsTheOperatorWhoseKeySignedItWhateverItSays() {
    enrolledCluster();
    OperatorRequest claimsRoot = new OperatorRequest(
        "r1", "orders", "root", at(0.3), new RequestedAction.SetMaintenance(true));
    requests.pipeInput(Identities.request(claimsRoot, at(0.3)));
    ClusterEvent answer = readEvents().get(0);
    assertEquals(EventType.MAINTENANCE_CHANGED, answer.type());
    assertTrue(answer.message().contains("requested by alice"), answer.message());
    assertTrue(!answer.message().contains("root"), answer.message());
  }

  /** Finding 2: a requestedAt in the future no longer keeps a request alive. */
  @Test
  void aRequestAppendedLongBeforeItIsDecidedIsRefusedWhateverItsRequestedAtSays() {
    Assignment primary = enrolledCluster();
    ticks(0.3, 120);
    report(node("n1").primary("0/3000000").accepted(primary), 120.05);
    events.readRecordsToList();
    OperatorRequest late = new OperatorRequest("late", "orders", "alice", at(120),
        new RequestedAction.SetMaintenance(true));
    requests.pipeInput(Identities.request(late, at(50)));
    ClusterEvent answer = readEvents().get(0);
    assertEquals(RequestOutcome.REFUSED, answer.outcome().orElseThrow(), answer.logLine());
    assertTrue(answer.message().contains("the request expired (appended 70.1 s before"),
        answer.message());
    assertTrue(!((ClusterState) driver.getKeyValueStore(CoordinatorTopology.STORE).get("orders"))
        .settings().maintenance());
  }

  // ---------------------------------------------------------------- helpers

  private static Heartbeat legacy(Heartbeat h) {
    return new Heartbeat("legacy", h.node(), h.incarnation(), h.sequence(), h.sentAt(),
        h.postgres(), h.agent());
  }

  private Heartbeat relinquishing(Assignment primary) {
    return node("n1").down("shut down", "0/3000000", false).accepted(primary)
        .relinquished(primary.generation()).build(sequence++, at(0.3));
  }

  private OperatorRequest request(String id, RequestedAction action, double seconds) {
    return new OperatorRequest(id, "orders", "alice", at(seconds), action);
  }

  /** The input changes no state, assignment or master, and lands in the dead letters. */
  private void assertChangesNothing(Runnable input, String reason) {
    Object before = driver.getKeyValueStore(CoordinatorTopology.STORE).get("orders");
    input.run();
    List<ClusterEvent> said = readEvents();
    assertTrue(assignments.isEmpty(), () -> "no assignment; events: " + describe(said));
    assertTrue(master.isEmpty(), "no master record");
    assertEquals(before, driver.getKeyValueStore(CoordinatorTopology.STORE).get("orders"),
        "the cluster's state is unchanged");
    assertEquals(List.of(EventType.UNVERIFIED_RECORD),
        said.stream().map(ClusterEvent::type).toList(), () -> describe(said));
    assertTrue(said.get(0).logLine().chars().noneMatch(Character::isISOControl));
    TestRecord<String, byte[]> dead = deadLetters.readRecord();
    assertEquals(reason, refusal(dead), header(dead, "baton.error"));
    assertTrue(deadLetters.isEmpty());
  }

  private void assertRequestRefused(Runnable input, String requestId, String reason) {
    Object before = driver.getKeyValueStore(CoordinatorTopology.STORE).get("orders");
    input.run();
    List<ClusterEvent> said = readEvents();
    assertEquals(before, driver.getKeyValueStore(CoordinatorTopology.STORE).get("orders"),
        () -> "the cluster's state is unchanged; events: " + describe(said));
    assertEquals(reason, refusal(deadLetters.readRecord()));
    assertEquals(1, said.size(), () -> describe(said));
    assertEquals(EventType.UNVERIFIED_RECORD, said.get(0).type());
    assertEquals(requestId, said.get(0).requestId().orElseThrow());
    assertEquals(RequestOutcome.REFUSED, said.get(0).outcome().orElseThrow());
    assertEquals(Reason.UNVERIFIED, said.get(0).reason().orElseThrow());
    assertTrue(assignments.isEmpty() && master.isEmpty());
    assertEquals(before, driver.getKeyValueStore(CoordinatorTopology.STORE).get("orders"));
  }

  private static String refusal(TestRecord<String, byte[]> dead) {
    return header(dead, "baton.refusal");
  }

  private static String header(TestRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? "(no " + name + ")" : new String(header.value(), StandardCharsets.UTF_8);
  }

  private void report(NodeReport report, double seconds) {
    heartbeats.pipeInput(identities.heartbeat(report.build(sequence++, at(seconds)), at(seconds)));
  }

  private void ticks(double from, double to) {
    for (double t = from; t <= to + 1e-9; t += 0.1) {
      heartbeats.pipeInput(new TestRecord<String, byte[]>(
          null, EventCodec.write(new ClockTick("test")), at(t)));
    }
  }

  private static Instant at(double seconds) {
    return T0.plusMillis(Math.round(seconds * 1000));
  }

  private Map<String, Assignment> latestAssignments() {
    return assignments.readKeyValuesToMap().entrySet().stream()
        .collect(Collectors.toMap(
            Map.Entry::getKey, e -> EventCodec.read(e.getValue(), Assignment.class)));
  }

  private List<ClusterEvent> readEvents() {
    return events.readValuesToList().stream()
        .map(v -> EventCodec.read(v, ClusterEvent.class)).toList();
  }

  private static String describe(List<ClusterEvent> said) {
    return said.stream().map(ClusterEvent::logLine).collect(Collectors.joining("\n"));
  }

  private TestInputTopic<String, byte[]> input(String topic) {
    return driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
  }

  private TestOutputTopic<String, byte[]> output(String topic) {
    return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
