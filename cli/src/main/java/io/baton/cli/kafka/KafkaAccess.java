package io.baton.cli.kafka;

import io.baton.client.kafka.KafkaConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/** How the CLI reads Baton's topics: short-lived consumers outside any consumer group. */
public final class KafkaAccess {
  /** How long one Kafka call may take before the CLI says Kafka is unreachable. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaConnection connection;

  public KafkaAccess(KafkaConnection connection) {
    this.connection = connection;
  }

  public KafkaConnection connection() {
    return connection;
  }

  /**
   * A consumer that reads only committed records: the coordinator writes the master, assignment
   * and event topics in transactions, and an aborted decision is not news.
   */
  KafkaConsumer<byte[], byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "baton-cli");
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(CALL_TIMEOUT.toMillis()));
    props.putAll(connection.properties());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try {
      return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    } catch (KafkaException e) {
      throw new KafkaUnavailableException(
          "cannot create a Kafka consumer (" + connection.describe() + "): " + rootMessage(e), e);
    }
  }

  /** Every partition of a topic; fails with a clear message when Kafka or the topic is missing. */
  static List<TopicPartition> partitions(
      KafkaConsumer<?, ?> consumer, String topic, KafkaConnection connection) {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(topic, CALL_TIMEOUT);
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException(
          "cannot reach Kafka at " + connection.bootstrapServers() + " within "
              + CALL_TIMEOUT.toSeconds() + "s (" + connection.describe() + ")", e);
    } catch (KafkaException e) {
      throw new KafkaUnavailableException(
          "cannot read topic " + topic + " (" + connection.describe() + "): " + rootMessage(e), e);
    }
    if (infos == null || infos.isEmpty()) {
      throw new KafkaUnavailableException(
          "topic " + topic + " does not exist on " + connection.bootstrapServers()
              + ": is Baton deployed there with topic prefix '" + connection.topics().prefix()
              + "'? (see --topic-prefix)");
    }
    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
  }

  /** The partition holding a key, as Kafka's default partitioner places it. */
  static TopicPartition partitionFor(List<TopicPartition> partitions, String key) {
    int index = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions.size();
    return partitions.stream()
        .filter(p -> p.partition() == index)
        .findFirst()
        .orElseThrow(() -> new KafkaUnavailableException(
            "partition " + index + " of " + partitions.get(0).topic() + " is missing"));
  }

  static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }
}
