package io.baton.subscribers.testing;

import io.baton.events.EventCodec;
import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.events.TopicNames;
import io.baton.testkit.kafka.TestKafka;
import io.baton.testkit.postgres.PostgresNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Plays the coordinator's part for subscriber tests: a compacted master topic under a fresh
 * prefix on the shared test broker (broker timestamps, like the real one), and a plain producer.
 */
public final class MasterPublisher implements AutoCloseable {
  private final String bootstrap = TestKafka.bootstrapServers();
  private final TopicNames topics = new TopicNames("it" + UUID.randomUUID().toString()
      .substring(0, 8) + ".");
  private final KafkaProducer<byte[], byte[]> producer;

  public MasterPublisher() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topics.master(), 1, (short) 1).configs(Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
          TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")))).all().get();
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    producer = new KafkaProducer<>(props);
  }

  public String bootstrapServers() {
    return bootstrap;
  }

  public String topicPrefix() {
    return topics.prefix();
  }

  public static MasterRecord master(String cluster, long epoch, PostgresNode node) {
    return new MasterRecord(cluster, epoch, node.name(), node.host(), node.port(), epoch,
        Lsn.parse("0/3000060"), Instant.now(), "promoted by the test");
  }

  /** Publishes and returns the broker's timestamp of the record. */
  public Instant publish(MasterRecord master) throws Exception {
    return publishRaw(master.cluster(), EventCodec.write(master));
  }

  public Instant publishRaw(String key, byte[] value) throws Exception {
    RecordMetadata metadata = producer.send(new ProducerRecord<>(topics.master(),
        key.getBytes(StandardCharsets.UTF_8), value)).get();
    return Instant.ofEpochMilli(metadata.timestamp());
  }

  @Override
  public void close() {
    producer.close();
  }
}
