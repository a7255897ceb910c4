package io.baton.coordinator.topology;

import static io.baton.coordinator.decision.NodeReport.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.coordinator.decision.Decider;
import io.baton.coordinator.decision.NodeReport;
import io.baton.coordinator.policy.Policy;
import io.baton.events.Assignment;
import io.baton.events.ClockTick;
import io.baton.events.ClusterEvent;
import io.baton.events.EventCodec;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.MasterRecord;
import io.baton.events.OperatorRequest;
import io.baton.events.Reason;
import io.baton.events.RequestOutcome;
import io.baton.events.RequestedAction;
import io.baton.events.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CoordinatorTopologyTest {
  private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
  private static final TopicNames TOPICS = TopicNames.defaults();
  private static final java.time.Duration CLOCK_MAX_STEP = java.time.Duration.ofMillis(500);

  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> heartbeats;
  private TestInputTopic<String, byte[]> requests;
  private TestOutputTopic<String, byte[]> master;
  private TestOutputTopic<String, byte[]> assignments;
  private TestOutputTopic<String, byte[]> events;
  private TestOutputTopic<String, byte[]> deadLetters;
  private TestInputTopic<String, byte[]> enrollments;
  private final Identities identities = new Identities();
  private long sequence;

  @BeforeEach
  void start() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "baton-coordinator-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver =
        new TopologyTestDriver(
            CoordinatorTopology.build(
                TOPICS, new Decider(Policy.defaults()), CLOCK_MAX_STEP, Identities.trust()),
            props, T0);
    enrollments = driver.createInputTopic(TOPICS.enrollments(), new StringSerializer(), new ByteArraySerializer());
    for (String cluster : List.of("orders", "billing")) {
      for (String node : List.of("n1", "n2", "n3")) {
        enrollments.pipeInput(identities.enrollment(cluster, node, T0));
      }
    }
    heartbeats = driver.createInputTopic(TOPICS.heartbeats(), new StringSerializer(), new ByteArraySerializer());
    requests = driver.createInputTopic(TOPICS.requests(), new StringSerializer(), new ByteArraySerializer());
    master = driver.createOutputTopic(TOPICS.master(), new StringDeserializer(), new ByteArrayDeserializer());
    assignments = driver.createOutputTopic(TOPICS.assignments(), new StringDeserializer(), new ByteArrayDeserializer());
    events = driver.createOutputTopic(TOPICS.events(), new StringDeserializer(), new ByteArrayDeserializer());
    deadLetters = driver.createOutputTopic(TOPICS.deadLetters(), new StringDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void report(NodeReport report, double seconds) {
    Instant at = at(seconds);
    heartbeats.pipeInput(identities.heartbeat(report.build(sequence++, at), at));
  }

  private void tick(double seconds) {
    heartbeats.pipeInput(
        new TestRecord<String, byte[]>(null, EventCodec.write(new ClockTick("test")), at(seconds)));
  }

  private static Instant at(double seconds) {
    return T0.plusMillis(Math.round(seconds * 1000));
  }

  private Map<String, Assignment> latestAssignments() {
    return assignments.readKeyValuesToMap().entrySet().stream()
        .collect(
            java.util.stream.Collectors.toMap(
                Map.Entry::getKey, e -> EventCodec.read(e.getValue(), Assignment.class)));
  }

  private List<ClusterEvent> readEvents() {
    return events.readValuesToList().stream()
        .map(v -> EventCodec.read(v, ClusterEvent.class))
        .toList();
  }

  /** n1 adopted and confirmed primary; n2 a standby. */
  private Assignment bootstrap() {
    report(node("n1").primary("0/3000000"), 0);
    Assignment primary = latestAssignments().get("orders/n1");
    report(node("n1").primary("0/3000000").accepted(primary), 0.1);
    report(node("n2").standbyOf("n1", "0/3000000"), 0.2);
    return primary;
  }

  @Test
  void shouldPublishTheMasterKeyedByClusterOnceTheAdoptedPrimaryConfirms() {
    bootstrap();
    TestRecord<String, byte[]> published = master.readRecord();
    assertEquals("orders", published.key());
    MasterRecord record = EventCodec.read(published.value(), MasterRecord.class);
    assertEquals("n1", record.node());
    assertEquals(1, record.epoch());
    assertEquals(at(0.1), record.since());
    assertEquals(at(0.1).toEpochMilli(), published.timestamp());
    assertTrue(master.isEmpty(), "the master is published once, not with every heartbeat");
    Assignment standby = latestAssignments().get("orders/n2");
    assertTrue(standby.goal() instanceof Goal.Standby);
  }

  @Test
  void shouldFailOverInBrokerTimeCarriedByClockTicks() {
    bootstrap();
    master.readRecord();
    for (double t = 0.3; t < 1.0; t += 0.1) {
      tick(t);
    }
    report(node("n2").standbyAt("0/3000000"), 1.0);
    for (double t = 1.1; t < 5.1; t += 0.1) {
      tick(t);
    }
    assertTrue(master.isEmpty());
    tick(5.2);
    Assignment promotion = latestAssignments().get("orders/n2");
    assertTrue(promotion.goal() instanceof Goal.Primary);
    assertEquals(2, promotion.epoch());
    report(node("n2").primary("0/3000100").timeline(2).accepted(promotion), 5.4);
    MasterRecord record = EventCodec.read(master.readValue(), MasterRecord.class);
    assertEquals("n2", record.node());
    assertEquals(2, record.epoch());
  }

  @Test
  void shouldSendAPoisonedRecordToDeadLettersAndKeepDeciding() {
    heartbeats.pipeInput(
        new TestRecord<>("orders", "{\"cluster\": orders".getBytes(StandardCharsets.UTF_8), at(0)));
    TestRecord<String, byte[]> dead = deadLetters.readRecord();
    assertEquals("orders", dead.key());
    String reason = new String(dead.headers().lastHeader("baton.error").value(), StandardCharsets.UTF_8);
    assertTrue(reason.startsWith("malformed heartbeat: is not valid JSON"), reason);
    ClusterEvent rejected = readEvents().get(0);
    assertEquals(EventType.MALFORMED_RECORD, rejected.type());

    var wrongKey = node("n1").primary("0/3000000").build(0, at(0.1));
    heartbeats.pipeInput(new TestRecord<>("other", EventCodec.write(wrongKey), at(0.1)));
    assertTrue(
        new String(deadLetters.readRecord().headers().lastHeader("baton.error").value(), StandardCharsets.UTF_8)
            .contains("field 'cluster' is 'orders' but the record key is 'other'"));

    bootstrap();
    assertEquals("n1", EventCodec.read(master.readValue(), MasterRecord.class).node());
  }

  /**
   * A heartbeat whose host holds a newline (and a configuration section after it) is not read:
   * it lands in dead letters as it was, with a reason on one line, and changes nothing.
   */
  @Test
  void shouldSendAHeartbeatWithANewlineInItsHostToDeadLettersAndChangeNothing() {
    bootstrap();
    master.readRecord();
    latestAssignments();
    readEvents();
    Object before = driver.getKeyValueStore(CoordinatorTopology.STORE).get("orders");
    String forged =
        EventCodec.writeString(node("n1").primary("0/3000100").build(sequence++, at(0.3)))
            .replace("\"host\":\"127.0.0.1\"", "\"host\":\"10.6.6.6\\nprogram pwn\"");
    assertTrue(forged.contains("program pwn"), forged);
    heartbeats.pipeInput(
        new TestRecord<>("orders", forged.getBytes(StandardCharsets.UTF_8), at(0.3)));

    TestRecord<String, byte[]> dead = deadLetters.readRecord();
    assertEquals("orders", dead.key());
    assertEquals(forged, new String(dead.value(), StandardCharsets.UTF_8), "copied as it was");
    String reason =
        new String(dead.headers().lastHeader("baton.error").value(), StandardCharsets.UTF_8);
    assertTrue(reason.startsWith("malformed heartbeat: field 'postgres.host'"
        + " '10.6.6.6\\nprogram pwn' is not a host"), reason);
    List<ClusterEvent> said = readEvents();
    assertEquals(
        List.of(EventType.MALFORMED_RECORD), said.stream().map(ClusterEvent::type).toList());
    String logLine = said.get(0).logLine();
    assertTrue(logLine.chars().noneMatch(Character::isISOControl), logLine);
    assertTrue(master.isEmpty(), "no master record");
    assertTrue(assignments.isEmpty(), "no assignment");
    assertEquals(before, driver.getKeyValueStore(CoordinatorTopology.STORE).get("orders"),
        "the cluster's state is unchanged");
  }

  @Test
  void shouldRefuseARequestForAClusterNobodyKnowsWithoutStoringIt() {
    OperatorRequest request =
        new OperatorRequest(
            "r1", "nosuch", "test", at(0),
            new RequestedAction.Switchover(Optional.empty(), Optional.empty()));
    requests.pipeInput(Identities.request(request, at(0)));
    ClusterEvent answer = readEvents().get(0);
    assertEquals(RequestOutcome.REFUSED, answer.outcome().orElseThrow());
    assertEquals("r1", answer.requestId().orElseThrow());
    assertTrue(answer.message().contains("unknown cluster 'nosuch'"));
    assertEquals(Reason.UNKNOWN_CLUSTER, answer.reason().orElseThrow());
    assertTrue(driver.getKeyValueStore(CoordinatorTopology.STORE).get("nosuch") == null);
  }

  @Test
  void shouldKeepClustersApart() {
    bootstrap();
    master.readRecord();
    var other = node("n1").primary("0/9000000").build(sequence++, at(0.3));
    var renamed =
        new io.baton.events.Heartbeat(
            "billing", other.node(), other.incarnation(), other.sequence(), other.sentAt(),
            other.postgres(), other.agent());
    heartbeats.pipeInput(identities.heartbeat(renamed, at(0.3)));
    Assignment billing = latestAssignments().get("billing/n1");
    assertEquals("billing", billing.cluster());
    assertEquals(1, billing.generation(), "each cluster has its own generations");
    assertTrue(master.isEmpty());
  }

  private void ticks(double from, double to) {
    for (double t = from; t <= to + 1e-9; t += 0.1) {
      tick(t);
    }
  }

  private void assertNoPrimaryLost() {
    List<ClusterEvent> decided = readEvents();
    assertTrue(
        decided.stream().noneMatch(e -> e.type() == EventType.PRIMARY_LOST),
        () -> decided.stream().map(ClusterEvent::logLine).collect(Collectors.joining("\n")));
  }

  /**
   * Finding 2 of issue 8: requests live on another topic, maybe led by another broker whose clock
   * runs ahead; their timestamps never move the clock that judges liveness.
   */
  @Test
  void shouldNeverLetARequestStampedByAFastBrokerDeclareALivePrimaryLost() {
    Assignment primary = bootstrap();
    ticks(0.2, 1.0);
    OperatorRequest request =
        new OperatorRequest(
            "r1", "orders", "test", at(30), new RequestedAction.SetMaintenance(false));
    requests.pipeInput(Identities.request(request, at(30)));
    report(node("n1").primary("0/3000000").accepted(primary), 1.05);
    ticks(1.1, 1.5);
    assertNoPrimaryLost();
  }

  /**
   * Finding 2 of issue 8: the heartbeats partition's leader moves to a broker whose clock is 30 s
   * ahead. Append times leap; nobody stopped: the leap is not counted as anyone's silence.
   */
  @Test
  void shouldNotCountABrokerClockLeapAsAnyNodesSilence() {
    Assignment primary = bootstrap();
    ticks(0.2, 1.0);
    ticks(31.0, 31.4);
    report(node("n1").primary("0/3000000").accepted(primary), 31.45);
    report(node("n2").standbyOf("n1", "0/3000000"), 31.45);
    ticks(31.5, 33.0);
    assertNoPrimaryLost();
    assertTrue(master.readRecordsToList().size() == 1, "only the first master record");
  }

  /**
   * Finding 10 of issue 8: Kafka was down for 20 s, longer than failover-after; the coordinator's
   * own ticks were missing too, so the silence says nothing about any one node. The primary,
   * fenced meanwhile, is renewed when it is heard again: no failover.
   */
  @Test
  void shouldNotFailOverAfterAKafkaOutageThatSilencedTheWholePartition() {
    Assignment primary = bootstrap();
    ticks(0.2, 1.0);
    tick(21.0);
    report(node("n2").standbyAt("0/3000000"), 21.05);
    report(node("n1").down("in production", "0/3000000", false).fenced().accepted(primary), 21.1);
    List<ClusterEvent> decided = readEvents();
    assertTrue(decided.stream().noneMatch(e -> e.type() == EventType.PRIMARY_LOST));
    assertTrue(decided.stream().anyMatch(e -> e.type() == EventType.PRIMARY_RENEWED));
    Assignment renewed = latestAssignments().get("orders/n1");
    assertTrue(renewed.goal() instanceof Goal.Primary && renewed.generation() > primary.generation());
  }
}
