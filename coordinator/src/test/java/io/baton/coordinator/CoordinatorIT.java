package io.baton.coordinator;

import static io.baton.coordinator.decision.NodeReport.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.client.kafka.KafkaConnection;
import io.baton.client.keys.OperatorKey;
import io.baton.client.operator.Enroller;
import io.baton.coordinator.decision.NodeReport;
import io.baton.events.signing.Ed25519;
import io.baton.events.signing.SignatureHeaders;
import java.nio.file.Files;
import java.security.KeyPair;
import org.apache.kafka.common.header.internals.RecordHeaders;
import io.baton.events.Assignment;
import io.baton.events.EventCodec;
import io.baton.events.Heartbeat;
import io.baton.events.MasterRecord;
import io.baton.events.TopicNames;
import io.baton.testkit.kafka.TestKafka;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator process against a real broker: topic checks, and heartbeats in, master out,
 * with n1 enrolled by operator alice (read back through the global enrollments store) and its
 * heartbeats signed.
 */
class CoordinatorIT {
  private static final KeyPair ALICE = Ed25519.generate();
  private static final KeyPair N1 = Ed25519.generate();

  @TempDir Path state;
  @TempDir Path keys;

  private Map<String, Object> config(String prefix, Path state) throws Exception {
    Path operators = keys.resolve("operator-keys");
    Files.writeString(operators, "alice " + Ed25519.encode(ALICE.getPublic()) + "\n");
    return Map.of(
        "baton.kafka.bootstrap-servers", TestKafka.bootstrapServers(),
        "baton.kafka.topic-prefix", prefix,
        "baton.topics.partitions", 2,
        "baton.coordinator.application-id", prefix + "coordinator",
        "baton.coordinator.state-directory", state.toString(),
        "baton.coordinator.operator-keys-file", operators.toString());
  }

  /** n1 of orders, enrolled by alice: the coordinator believes only its signed heartbeats. */
  private static void enrollN1(String prefix) {
    Enroller.enroll(KafkaConnection.of(TestKafka.bootstrapServers(), prefix),
        new OperatorKey("alice", ALICE.getPrivate()), "orders", "n1", "127.0.0.1",
        NodeReport.port("n1"), N1.getPublic(), Duration.ofSeconds(30));
  }

  @Test
  void refusesToStartOnAMasterTopicThatIsNotCompacted() throws Exception {
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
      admin.createTopics(
              List.of(
                  new NewTopic(new TopicNames(prefix).master(), 1, (short) 1)
                      .configs(Map.of("cleanup.policy", "delete"))))
          .all().get();
    }
    Throwable cause = refusal(prefix);
    assertTrue(
        cause.getMessage().contains("topic " + prefix + "master has cleanup.policy=delete but must be compacted"),
        cause.getMessage());
  }

  @Test
  void derivesTheMasterFromHeartbeatsOnARealBroker() throws Exception {
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    TopicNames topics = new TopicNames(prefix);
    Map<String, Object> config = config(prefix, state);
    try (ApplicationContext context = ApplicationContext.run(config);
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", TestKafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
        KafkaConsumer<String, byte[]> consumer = committedReader()) {
      consumer.subscribe(List.of(topics.assignments(), topics.master()));
      enrollN1(prefix);
      Assignment assignment = null;
      MasterRecord master = null;
      long sequence = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (master == null && System.nanoTime() < deadline) {
        // Like an agent: a heartbeat every poll, whether the coordinator has started yet or not.
        NodeReport report = node("n1").primary("0/3000000");
        send(producer, topics, assignment == null ? report : report.accepted(assignment), sequence++);
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.topic().equals(topics.assignments()) && assignment == null) {
            assignment = EventCodec.read(record.value(), Assignment.class);
          } else if (record.topic().equals(topics.master())) {
            assertEquals("orders", record.key());
            master = EventCodec.read(record.value(), MasterRecord.class);
          }
        }
      }
      assertTrue(master != null, "no master record within 30 s");
      assertEquals("n1", master.node());
      assertEquals(1, master.epoch());
    }
  }

  /** Finding 11 of issue 8: topics that would break the lease argument are refused. */
  @Test
  void refusesToStartOnTopicsThatCouldLoseAnAcknowledgedHeartbeat() throws Exception {
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
      admin.createTopics(
              List.of(
                  new NewTopic(new TopicNames(prefix).assignments(), 2, (short) 1)
                      .configs(Map.of(
                          "cleanup.policy", "compact",
                          "unclean.leader.election.enable", "true"))))
          .all().get();
    }
    Throwable cause = refusal(prefix);
    assertTrue(
        cause.getMessage().contains(
            "topic " + prefix + "assignments has unclean.leader.election.enable=true"),
        cause.getMessage());
  }

  /**
   * Finding 11 of issue 8: a coordinator that lost its state (here: a new application id over the
   * same topics) starts every cluster above the epoch and generation already published, or agents
   * and subscribers would ignore everything it says.
   */
  @Test
  void aCoordinatorThatLostItsStateStartsAboveThePublishedEpochsAndGenerations() throws Exception {
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    TopicNames topics = new TopicNames(prefix);
    MasterRecord first;
    Assignment firstAssignment;
    try (ApplicationContext context = ApplicationContext.run(config(prefix, state))) {
      enrollN1(prefix);
      firstAssignment = adopt(topics, "n1-first", 0);
      first = awaitMaster(topics, 0);
    }
    Map<String, Object> fresh = new java.util.HashMap<>(config(prefix, state.resolve("other")));
    fresh.put("baton.coordinator.application-id", prefix + "coordinator-after-loss");
    try (ApplicationContext context = ApplicationContext.run(fresh)) {
      Assignment second = adopt(topics, "n1-second", firstAssignment.generation());
      assertTrue(second.generation() > firstAssignment.generation(),
          second.generation() + " after " + firstAssignment.generation());
      MasterRecord after = awaitMaster(topics, first.epoch());
      assertTrue(after.epoch() > first.epoch(), after.epoch() + " after " + first.epoch());
    }
  }

  /**
   * n1 heartbeats as a running primary (a new agent process) until an adoption newer than {@code
   * after} comes back, then goes on heartbeating with it accepted until the master is published.
   */
  private Assignment adopt(TopicNames topics, String incarnation, long after) throws Exception {
    try (KafkaProducer<String, byte[]> producer = producer();
        KafkaConsumer<String, byte[]> consumer = committedReader()) {
      consumer.subscribe(List.of(topics.assignments(), topics.master()));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      Assignment adopted = null;
      long sequence = 0;
      while (System.nanoTime() < deadline) {
        NodeReport report = node("n1").primary("0/3000000").restarted(incarnation);
        send(producer, topics, adopted == null ? report : report.accepted(adopted), sequence++);
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.topic().equals(topics.master())) {
            if (adopted != null) {
              return adopted;
            }
            continue;
          }
          Assignment assignment = EventCodec.read(record.value(), Assignment.class);
          if (assignment.generation() > after && assignment.reason().startsWith("adopted")) {
            adopted = assignment;
          }
        }
      }
      throw new AssertionError("no adoption after generation " + after + " within 60 s");
    }
  }

  private MasterRecord awaitMaster(TopicNames topics, long after) {
    try (KafkaConsumer<String, byte[]> consumer = committedReader()) {
      consumer.subscribe(List.of(topics.master()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          MasterRecord master = EventCodec.read(record.value(), MasterRecord.class);
          if (master.epoch() > after) {
            return master;
          }
        }
      }
      throw new AssertionError("no master record after epoch " + after + " within 30 s");
    }
  }

  private static KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", TestKafka.bootstrapServers()),
        new StringSerializer(), new ByteArraySerializer());
  }

  /** Why the coordinator refused to start on these topics. */
  private Throwable refusal(String prefix) {
    Throwable cause =
        assertThrows(Exception.class, () -> ApplicationContext.run(config(prefix, state)).close());
    while (cause.getCause() != null && !cause.getMessage().contains("refusing to start")) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, TopicNames topics, NodeReport report, long sequence)
      throws Exception {
    Heartbeat heartbeat = report.build(sequence, Instant.now());
    byte[] value = EventCodec.write(heartbeat);
    RecordHeaders headers = new RecordHeaders();
    headers.add(SignatureHeaders.SIGNATURE, Ed25519.sign(N1.getPrivate(), value));
    producer.send(new ProducerRecord<>(topics.heartbeats(), null, "orders", value, headers)).get();
  }

  private static KafkaConsumer<String, byte[]> committedReader() {
    Properties props = new Properties();
    props.put("bootstrap.servers", TestKafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
