package io.baton.client.operator;

import io.baton.client.keys.OperatorKey;
import io.baton.client.kafka.KafkaConnection;
import io.baton.events.Enrollment;
import io.baton.events.EventCodec;
import io.baton.events.signing.Ed25519;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Enrolls nodes: writes an enrollment, signed with an operator's key, to the compacted
 * enrollments topic and waits until Kafka acknowledged it. Enrolling a node again replaces its
 * key and address.
 */
public final class Enroller {
  private Enroller() {}

  public static Enrollment enroll(
      KafkaConnection kafka, OperatorKey operator, String cluster, String node, String host,
      int port, PublicKey nodeKey, Duration timeout) {
    Enrollment enrollment =
        Enrollment.signed(
            cluster, node, host, port, Ed25519.encode(nodeKey), operator.operator(),
            Instant.now(), operator.key());
    Properties props = kafka.properties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(
              kafka.topics().enrollments(), enrollment.key(), EventCodec.write(enrollment)))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return enrollment;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while enrolling " + enrollment.key(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "could not write the enrollment of " + enrollment.key() + " to "
              + kafka.topics().enrollments() + " (" + kafka.describe() + "): "
              + (e.getCause() == null ? e : e.getCause()),
          e);
    }
  }
}
