package io.baton.client;

import io.baton.events.EventCodec;
import io.baton.events.MasterRecord;
import io.baton.testkit.kafka.TestKafka;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A fresh compacted master topic on the shared test broker, and a plain producer for it. */
final class MasterTopic implements AutoCloseable {
  final String bootstrap = TestKafka.bootstrapServers();
  final String name;
  final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;

  MasterTopic(int partitions) throws ExecutionException, InterruptedException {
    this.name = "it-" + UUID.randomUUID() + ".master";
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    create(admin, name, partitions);
    this.producer = producer(bootstrap, new Properties());
  }

  static void create(Admin admin, String topic, int partitions)
      throws ExecutionException, InterruptedException {
    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
        TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")))).all().get();
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrap, Properties extra) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.putAll(extra);
    return new KafkaProducer<>(props);
  }

  RecordMetadata publish(MasterRecord master) throws Exception {
    return publishRaw(master.cluster(), EventCodec.write(master));
  }

  RecordMetadata publishRaw(String key, byte[] value) throws Exception {
    return producer.send(new ProducerRecord<>(name,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8), value)).get();
  }

  FollowerOptions.Builder options() {
    return FollowerOptions.builder(bootstrap).masterTopic(name);
  }

  @Override
  public void close() {
    producer.close();
    admin.close();
  }
}
