package io.baton.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.baton.events.EventCodec;
import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.testkit.kafka.KafkaBrokers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A tail on a real broker in its own JVM, which a test stops and restarts. */
class TopicTailIT {
  private static final String TOPIC = "tail";

  @Test
  void aRestartedBrokerMakesTheTailReadNothingTwice() throws Exception {
    try (KafkaBrokers kafka = KafkaBrokers.start(1)) {
      try (Admin admin = Admin.create(Map.of(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
      }
      try (TopicTail<MasterRecord> tail =
          new TopicTail<>(kafka.bootstrapServers(), TOPIC, MasterRecord.class)) {
        send(kafka, 1);
        send(kafka, 2);
        awaitEpochs(tail, List.of(1L, 2L));
        // Seen: a tail 30 s in its group read everything again after the restart; 2 s, not.
        Thread.sleep(Duration.ofSeconds(30).toMillis());

        kafka.stop(1);
        kafka.restart(1);
        send(kafka, 3);

        awaitEpochs(tail, List.of(1L, 2L, 3L));
        // Long enough for the tail's consumer to have rejoined its group and read again.
        Thread.sleep(Duration.ofSeconds(10).toMillis());
        assertEquals(List.of(1L, 2L, 3L), epochs(tail));
      }
    }
  }

  private static void send(KafkaBrokers kafka, long epoch) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    MasterRecord record = new MasterRecord("tail", epoch, "n1", "127.0.0.1", 5432, 1, Lsn.ZERO,
        Instant.now(), "a test record");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(TOPIC, "tail", EventCodec.write(record))).get();
    }
  }

  private static void awaitEpochs(TopicTail<MasterRecord> tail, List<Long> expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (epochs(tail).size() < expected.size() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(expected, epochs(tail));
  }

  private static List<Long> epochs(TopicTail<MasterRecord> tail) {
    return tail.values().stream().map(MasterRecord::epoch).toList();
  }
}
