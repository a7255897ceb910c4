package io.baton.coordinator;

import static io.baton.coordinator.decision.NodeReport.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.coordinator.decision.NodeReport;
import io.baton.events.Assignment;
import io.baton.events.EventCodec;
import io.baton.events.Heartbeat;
import io.baton.events.MasterRecord;
import io.baton.events.TopicNames;
import io.baton.testkit.kafka.TestKafka;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
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

/** The coordinator process against a real broker: topic checks, and heartbeats in, master out. */
class CoordinatorIT {

  private static Map<String, Object> config(String prefix, Path state) {
    return Map.of(
        "baton.kafka.bootstrap-servers", TestKafka.bootstrapServers(),
        "baton.kafka.topic-prefix", prefix,
        "baton.topics.partitions", 2,
        "baton.coordinator.application-id", prefix + "coordinator",
        "baton.coordinator.state-directory", state.toString());
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
    Path state = Files.createTempDirectory("baton-coordinator-it");
    Exception refused =
        assertThrows(Exception.class, () -> ApplicationContext.run(config(prefix, state)).close());
    Throwable cause = refused;
    while (cause.getCause() != null && !cause.getMessage().contains("refusing to start")) {
      cause = cause.getCause();
    }
    assertTrue(
        cause.getMessage().contains("topic " + prefix + "master has cleanup.policy=delete but must be compacted"),
        cause.getMessage());
  }

  @Test
  void derivesTheMasterFromHeartbeatsOnARealBroker() throws Exception {
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    TopicNames topics = new TopicNames(prefix);
    Path state = Files.createTempDirectory("baton-coordinator-it");
    try (ApplicationContext context = ApplicationContext.run(config(prefix, state));
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", TestKafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
        KafkaConsumer<String, byte[]> consumer = committedReader()) {
      send(producer, topics, node("n1").primary("0/3000000"), 0);
      consumer.subscribe(List.of(topics.assignments(), topics.master()));
      Assignment assignment = null;
      MasterRecord master = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (master == null && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.topic().equals(topics.assignments()) && assignment == null) {
            assignment = EventCodec.read(record.value(), Assignment.class);
            send(producer, topics, node("n1").primary("0/3000000").accepted(assignment), 1);
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

  private static void send(
      KafkaProducer<String, byte[]> producer, TopicNames topics, NodeReport report, long sequence)
      throws Exception {
    Heartbeat heartbeat = report.build(sequence, Instant.now());
    producer.send(new ProducerRecord<>(topics.heartbeats(), "orders", EventCodec.write(heartbeat))).get();
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
