package io.baton.client.operator;

import io.baton.client.kafka.KafkaConnection;
import io.baton.events.ClusterEvent;
import io.baton.events.EventCodec;
import io.baton.events.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Follows the coordinator's answers to one request on the events topic. Opened before the
 * request is made (an operator's request record, or an agent's heartbeat asking for a handover),
 * at the end of the cluster's events partition, so that no answer is missed.
 */
public final class EventAnswers implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> events;
  private final String cluster;

  private EventAnswers(KafkaConsumer<String, byte[]> events, String cluster) {
    this.events = events;
    this.cluster = cluster;
  }

  /** Positions at the end of the cluster's events partition. */
  public static EventAnswers openAtEnd(KafkaConnection kafka, String cluster) {
    Properties props = kafka.properties();
    props.put("enable.auto.commit", "false");
    // Answers come from the coordinator's transactions: only committed ones were decided.
    props.put("isolation.level", "read_committed");
    KafkaConsumer<String, byte[]> events =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    try {
      TopicPartition partition = partition(events, kafka, cluster);
      events.assign(List.of(partition));
      events.seekToEnd(List.of(partition));
      events.position(partition);
      return new EventAnswers(events, cluster);
    } catch (RuntimeException e) {
      events.close();
      throw e;
    }
  }

  /**
   * Waits until an event answers {@code requestId} finally or the deadline passes; {@code
   * progress} sees every answering event as it arrives.
   */
  public RequestClient.Answer await(
      String requestId, Instant deadline, Consumer<ClusterEvent> progress) {
    List<ClusterEvent> answers = new ArrayList<>();
    while (Instant.now().isBefore(deadline)) {
      for (ConsumerRecord<String, byte[]> record : events.poll(Duration.ofMillis(100))) {
        Optional<ClusterEvent> event = answerTo(requestId, record);
        if (event.isEmpty()) {
          continue;
        }
        answers.add(event.get());
        progress.accept(event.get());
        if (event.get().outcome().filter(o -> o.isFinal()).isPresent()) {
          return new RequestClient.Answer(true, answers);
        }
      }
    }
    return new RequestClient.Answer(false, answers);
  }

  private Optional<ClusterEvent> answerTo(String requestId, ConsumerRecord<String, byte[]> record) {
    if (!cluster.equals(record.key())) {
      return Optional.empty();
    }
    try {
      ClusterEvent event = EventCodec.read(record.value(), ClusterEvent.class);
      return event.requestId().filter(requestId::equals).map(id -> event);
    } catch (MalformedEventException e) {
      return Optional.empty();
    }
  }

  private static TopicPartition partition(
      KafkaConsumer<String, byte[]> events, KafkaConnection kafka, String cluster) {
    String topic = kafka.topics().events();
    List<PartitionInfo> partitions = events.partitionsFor(topic, Duration.ofSeconds(10));
    if (partitions == null || partitions.isEmpty()) {
      throw new IllegalStateException(
          "topic " + topic + " does not exist (" + kafka.describe()
              + "): is the coordinator running?");
    }
    // The coordinator keys events by cluster with Kafka's default partitioner.
    int partition =
        Utils.toPositive(Utils.murmur2(cluster.getBytes(StandardCharsets.UTF_8)))
            % partitions.size();
    return new TopicPartition(topic, partition);
  }

  @Override
  public void close() {
    events.close(Duration.ofSeconds(2));
  }
}
