package io.baton.testkit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three Kafka nodes in their own JVMs, replicated as in production: a killed partition leader is
 * replaced and acks=all still works; a broker's clock can be skewed on its own.
 */
class ThreeKafkaBrokersIT {
  private static final Duration SKEW = Duration.ofSeconds(30);
  private static KafkaBrokers kafka;

  @BeforeAll
  static void start() {
    long started = System.nanoTime();
    kafka = KafkaBrokers.start(KafkaBrokers.Options.brokers(3).withSkewableClocks());
    System.out.printf("3 Kafka nodes in child JVMs serving after %d ms%n",
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void allThreeAreBrokersAndVoters() throws Exception {
    assertEquals(List.of(1, 2, 3), kafka.brokerIds());
    assertEquals(3, kafka.bootstrapServers().split(",").length, kafka.bootstrapServers());
    assertTrue(kafka.brokerIds().contains(kafka.controller()));
    try (Admin admin = admin()) {
      assertEquals(3, admin.describeCluster().nodes().get().size());
      assertEquals(3, admin.describeMetadataQuorum().quorumInfo().get().voters().size());
    }
  }

  @Test
  void aNewLeaderTakesOverAKilledOneAndAcksAllStillWorks() throws Exception {
    String topic = "replicated";
    TestClients.createTopic(kafka.bootstrapServers(), new NewTopic(topic, 1, (short) 3)
        .configs(Map.of("min.insync.replicas", "2")));
    int leader = kafka.awaitLeader(topic, 0, id -> true, Duration.ofSeconds(30));
    int controller = kafka.controller();
    try (KafkaProducer<String, String> producer =
        TestClients.producer(kafka.bootstrapServers(), Duration.ofSeconds(30))) {
      TestClients.send(producer, new ProducerRecord<>(topic, "before"));

      kafka.kill(leader);
      long killed = System.nanoTime();
      int successor = kafka.awaitLeader(topic, 0, id -> id != leader, Duration.ofSeconds(30));
      long elected = System.nanoTime();
      RecordMetadata written = TestClients.send(producer, new ProducerRecord<>(topic, "after"));
      System.out.printf("leader %d (controller %d) SIGKILLed: node %d leads after %d ms,"
              + " acks=all produce done after %d ms%n", leader, controller, successor,
          Duration.ofNanos(elected - killed).toMillis(),
          Duration.ofNanos(System.nanoTime() - killed).toMillis());
      assertNotEquals(leader, successor);
      assertEquals(1, written.offset());
      assertEquals(2, isr(topic).size(), "the killed node left the ISR");
    }

    kafka.restart(leader);

    assertEquals(Set.of(1, 2, 3), isr(topic), "restart returns once the node is in sync again");
    assertEquals(List.of("before", "after"),
        TestClients.readValues(kafka.bootstrapServers(), topic, 2, Duration.ofSeconds(20)));
  }

  /**
   * What a fault test on Kafka must expect: the leader waits for every replica in the ISR, and a
   * dead follower leaves the ISR only when the controller fences it for missed heartbeats
   * (broker.session.timeout.ms, 9 s): acks=all stalls for seconds, longer than a Baton agent's
   * default fence-after (3 s).
   */
  @Test
  void aDeadFollowerStallsAcksAllUntilTheControllerFencesIt() throws Exception {
    String topic = "stalled";
    int controller = kafka.controller();
    int leader =
        kafka.brokerIds().stream().filter(id -> id != controller).findFirst().orElseThrow();
    int follower = kafka.brokerIds().stream()
        .filter(id -> id != controller && id != leader).findFirst().orElseThrow();
    TestClients.createTopic(kafka.bootstrapServers(), new NewTopic(topic,
        Map.of(0, List.of(leader, follower, controller))));
    kafka.awaitLeader(topic, 0, id -> id == leader, Duration.ofSeconds(30));
    try (KafkaProducer<String, String> producer =
        TestClients.producer(kafka.bootstrapServers(), Duration.ofSeconds(60))) {
      TestClients.send(producer, new ProducerRecord<>(topic, "before"));

      kafka.kill(follower);
      long killed = System.nanoTime();
      TestClients.send(producer, new ProducerRecord<>(topic, "stalled"));
      Duration stall = Duration.ofNanos(System.nanoTime() - killed);
      System.out.printf("follower %d SIGKILLed: acks=all produce took %d ms%n", follower,
          stall.toMillis());

      assertTrue(stall.compareTo(Duration.ofSeconds(3)) > 0, "stalled only " + stall);
      assertEquals(Set.of(leader, controller), isr(topic));
    } finally {
      kafka.restart(follower);
    }
  }

  @Test
  void aSkewedBrokerStampsItsRecordsWithItsOwnClock() throws Exception {
    // Partition 0 is led by node 1 and partition 1 by node 2 (the first replica leads).
    String topic = "stamped";
    TestClients.createTopic(kafka.bootstrapServers(), new NewTopic(topic,
        Map.of(0, List.of(1, 2, 3), 1, List.of(2, 3, 1)))
        .configs(Map.of("message.timestamp.type", "LogAppendTime")));
    kafka.awaitLeader(topic, 0, id -> id == 1, Duration.ofSeconds(30));
    kafka.awaitLeader(topic, 1, id -> id == 2, Duration.ofSeconds(30));

    kafka.skewClock(1, SKEW);
    try (KafkaProducer<String, String> producer =
        TestClients.producer(kafka.bootstrapServers(), Duration.ofSeconds(30))) {
      long before = System.currentTimeMillis();
      RecordMetadata skewed = TestClients.send(producer, new ProducerRecord<>(topic, 0, null, "a"));
      RecordMetadata plain = TestClients.send(producer, new ProducerRecord<>(topic, 1, null, "b"));
      long after = System.currentTimeMillis();

      assertBetween(before + SKEW.toMillis(), skewed.timestamp(), after + SKEW.toMillis());
      assertBetween(before, plain.timestamp(), after);
    } finally {
      kafka.skewClock(1, Duration.ZERO);
    }
  }

  private static void assertBetween(long low, long value, long high) {
    assertTrue(low <= value && value <= high,
        value + " not in [" + low + ", " + high + "] (" + (value - low) + " ms from the low end)");
  }

  private static Set<Integer> isr(String topic) throws Exception {
    try (Admin admin = admin()) {
      TopicDescription description =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      Set<Integer> isr = new HashSet<>();
      description.partitions().get(0).isr().forEach(node -> isr.add(node.id()));
      return isr;
    }
  }

  private static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }
}
