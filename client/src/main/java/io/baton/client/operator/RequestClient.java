package io.baton.client.operator;

import io.baton.client.kafka.KafkaConnection;
import io.baton.events.ClusterEvent;
import io.baton.events.EventCodec;
import io.baton.events.MalformedEventException;
import io.baton.events.OperatorRequest;
import io.baton.events.RequestedAction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Sends an operator request to the coordinator and follows its answer on the events topic: the
 * CLI, the coordinator's HTTP API and an agent's preStop handover all go through here. It starts
 * reading the cluster's events partition at its end before sending, so no answer is missed.
 */
public final class RequestClient implements AutoCloseable {
  private final KafkaConnection kafka;
  private final String requestedBy;
  private final KafkaProducer<String, byte[]> producer;

  public RequestClient(KafkaConnection kafka, String requestedBy) {
    this.kafka = kafka;
    this.requestedBy = requestedBy;
    Properties props = kafka.properties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** The final answer, or the last progress seen when the deadline passed first. */
  public record Answer(boolean finished, List<ClusterEvent> events) {
    public Optional<ClusterEvent> last() {
      return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1));
    }
  }

  /**
   * Sends the request and waits until an event answers it finally or the timeout passes; {@code
   * progress} sees every answering event as it arrives.
   */
  public Answer submit(
      String cluster, RequestedAction action, Duration timeout, Consumer<ClusterEvent> progress) {
    OperatorRequest request =
        new OperatorRequest(UUID.randomUUID().toString(), cluster, requestedBy, Instant.now(), action);
    return submit(request, timeout, progress);
  }

  public Answer submit(OperatorRequest request, Duration timeout, Consumer<ClusterEvent> progress) {
    Instant deadline = Instant.now().plus(timeout);
    Properties props = kafka.properties();
    props.put("enable.auto.commit", "false");
    // Answers come from the coordinator's transactions: only committed ones were decided.
    props.put("isolation.level", "read_committed");
    try (KafkaConsumer<String, byte[]> events =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = eventsPartition(events, request.cluster());
      events.assign(List.of(partition));
      events.seekToEnd(List.of(partition));
      events.position(partition);
      send(request, deadline);
      List<ClusterEvent> answers = new java.util.ArrayList<>();
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, byte[]> record : events.poll(Duration.ofMillis(100))) {
          Optional<ClusterEvent> event = answerTo(request, record);
          if (event.isEmpty()) {
            continue;
          }
          answers.add(event.get());
          progress.accept(event.get());
          if (event.get().outcome().filter(o -> o.isFinal()).isPresent()) {
            return new Answer(true, answers);
          }
        }
      }
      return new Answer(false, answers);
    }
  }

  private void send(OperatorRequest request, Instant deadline) {
    try {
      producer
          .send(new ProducerRecord<>(kafka.topics().requests(), request.cluster(), EventCodec.write(request)))
          .get(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending the request", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "could not send the request to " + kafka.topics().requests() + " (" + kafka.describe()
              + "): " + (e.getCause() == null ? e : e.getCause()),
          e);
    }
  }

  private TopicPartition eventsPartition(KafkaConsumer<String, byte[]> events, String cluster) {
    List<PartitionInfo> partitions = events.partitionsFor(kafka.topics().events(), Duration.ofSeconds(10));
    if (partitions == null || partitions.isEmpty()) {
      throw new IllegalStateException(
          "topic " + kafka.topics().events() + " does not exist (" + kafka.describe()
              + "): is the coordinator running?");
    }
    // The coordinator keys events by cluster with Kafka's default partitioner.
    int partition = Utils.toPositive(Utils.murmur2(cluster.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        % partitions.size();
    return new TopicPartition(kafka.topics().events(), partition);
  }

  private static Optional<ClusterEvent> answerTo(
      OperatorRequest request, ConsumerRecord<String, byte[]> record) {
    if (!request.cluster().equals(record.key())) {
      return Optional.empty();
    }
    try {
      ClusterEvent event = EventCodec.read(record.value(), ClusterEvent.class);
      return event.requestId().filter(request.requestId()::equals).map(id -> event);
    } catch (MalformedEventException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
