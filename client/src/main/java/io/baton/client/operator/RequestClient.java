package io.baton.client.operator;

import io.baton.client.keys.OperatorKey;
import io.baton.client.kafka.KafkaConnection;
import io.baton.events.ClusterEvent;
import io.baton.events.EventCodec;
import io.baton.events.OperatorRequest;
import io.baton.events.RequestedAction;
import io.baton.events.signing.Ed25519;
import io.baton.events.signing.SignatureHeaders;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends an operator request to the coordinator, signed with an operator's key, and follows its
 * answer on the events topic: the CLI and the coordinator's HTTP API go through here. It starts
 * reading the cluster's events partition at its end before sending, so no answer is missed.
 */
public final class RequestClient implements AutoCloseable {
  private final KafkaConnection kafka;
  private final OperatorKey operator;
  private final KafkaProducer<String, byte[]> producer;

  public RequestClient(KafkaConnection kafka, OperatorKey operator) {
    this.kafka = kafka;
    this.operator = operator;
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
        new OperatorRequest(
            UUID.randomUUID().toString(), cluster, operator.operator(), Instant.now(), action);
    return submit(request, timeout, progress);
  }

  public Answer submit(OperatorRequest request, Duration timeout, Consumer<ClusterEvent> progress) {
    Instant deadline = Instant.now().plus(timeout);
    try (EventAnswers answers = EventAnswers.openAtEnd(kafka, request.cluster())) {
      send(request, deadline);
      return answers.await(request.requestId(), deadline, progress);
    }
  }

  /** The request as it goes on the topic: its JSON, signed with the operator's key. */
  public static ProducerRecord<String, byte[]> signed(
      String topic, OperatorRequest request, OperatorKey operator) {
    byte[] value = EventCodec.write(request);
    RecordHeaders headers = new RecordHeaders();
    headers.add(SignatureHeaders.SIGNATURE, Ed25519.sign(operator.key(), value));
    headers.add(SignatureHeaders.SIGNER, operator.operator().getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(topic, null, request.cluster(), value, headers);
  }

  private void send(OperatorRequest request, Instant deadline) {
    try {
      producer
          .send(signed(kafka.topics().requests(), request, operator))
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

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
