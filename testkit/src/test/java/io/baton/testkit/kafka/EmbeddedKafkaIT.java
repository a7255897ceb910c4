package io.baton.testkit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  private static Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  @Test
  void listensOnLoopbackOnly() {
    assertEquals(true, kafka.bootstrapServers().startsWith("127.0.0.1:"), kafka.bootstrapServers());
  }

  @Test
  void createsTopicsWithTheirConfigs() throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic("compacted", 1, (short) 1)
              .configs(Map.of("cleanup.policy", "compact", "message.timestamp.type", "LogAppendTime"))))
          .all().get();
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "compacted");
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      assertEquals("compact", config.get("cleanup.policy").value());
      assertEquals("LogAppendTime", config.get("message.timestamp.type").value());
    }
  }

  @Test
  void doesNotCreateTopicsAutomatically() {
    try (Admin admin = admin()) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> admin.describeTopics(List.of("never-created")).allTopicNames().get());
      assertInstanceOf(UnknownTopicOrPartitionException.class, e.getCause());
    }
  }

  @Test
  void deliversTransactionallyProducedRecordsToAReadCommittedConsumer() throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic("tx", 1, (short) 1))).all().get();
    }
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-it");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx", "k1", "v1"));
      producer.send(new ProducerRecord<>("tx", "k2", "v2"));
      producer.commitTransaction();
    }
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "embedded-kafka-it");
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("tx"));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (seen.size() < 2 && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          seen.add(record.key() + "=" + record.value());
        }
      }
    }
    assertEquals(List.of("k1=v1", "k2=v2"), seen);
  }

  @Test
  void removesItsDataDirectoryOnClose() throws Exception {
    // Other builds on the machine may make or remove their own directories meanwhile,
    // so the test follows only the directories that appeared while this broker started.
    Set<Path> before = kafkaDirectories();
    EmbeddedKafka other = EmbeddedKafka.start();
    Set<Path> appeared = new HashSet<>(kafkaDirectories());
    appeared.removeAll(before);
    other.close();
    assertFalse(appeared.isEmpty(), "a data directory while running");
    for (Path directory : appeared) {
      assertFalse(Files.exists(directory), directory + " left behind after close");
    }
  }

  private static Set<Path> kafkaDirectories() throws Exception {
    try (var stream = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return Set.copyOf(stream.filter(p -> p.getFileName().toString().startsWith("baton-kafka-")).toList());
    }
  }
}
