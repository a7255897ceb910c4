package io.baton.agent.heartbeat;

import io.baton.agent.fencing.Lease;
import io.baton.agent.supervisor.HeartbeatSink;
import io.baton.client.kafka.KafkaConnection;
import io.baton.events.EventCodec;
import io.baton.events.Heartbeat;
import io.baton.events.signing.Ed25519;
import io.baton.events.signing.SignatureHeaders;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends heartbeats keyed by cluster, each signed with this node's key over its exact value bytes
 * (the signature in the {@code baton.signature} header), and feeds the broker's acknowledgements (with the append time
 * the broker stamped) into the lease. A heartbeat that cannot be delivered within a few seconds
 * is dropped rather than delivered late: a stale observation arriving after a cut would mislead
 * the coordinator, and the lease only ever counts acknowledged heartbeats anyway.
 */
public final class HeartbeatPublisher implements HeartbeatSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatPublisher.class);

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final Lease lease;
  private final PrivateKey key;
  private volatile boolean failing;

  public HeartbeatPublisher(KafkaConnection kafka, Lease lease, PrivateKey key) {
    Properties props = kafka.properties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "500");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "1500");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "2000");
    props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.topic = kafka.topics().heartbeats();
    this.lease = lease;
    this.key = key;
  }

  /** The heartbeat as it goes on the topic: its JSON, signed. */
  public static ProducerRecord<String, byte[]> signed(
      String topic, Heartbeat heartbeat, PrivateKey key) {
    byte[] value = EventCodec.write(heartbeat);
    RecordHeaders headers = new RecordHeaders();
    headers.add(SignatureHeaders.SIGNATURE, Ed25519.sign(key, value));
    return new ProducerRecord<>(topic, null, heartbeat.cluster(), value, headers);
  }

  @Override
  public void publish(Heartbeat heartbeat) {
    long sentNanos = System.nanoTime();
    try {
      producer.send(
          signed(topic, heartbeat, key),
          (metadata, error) -> {
            if (error != null) {
              if (!failing) {
                LOG.warn("cluster={} node={} heartbeats are not being acknowledged: {}",
                    heartbeat.cluster(), heartbeat.node(), error.toString());
                failing = true;
              }
              return;
            }
            if (failing) {
              LOG.info("cluster={} node={} heartbeats are acknowledged again", heartbeat.cluster(), heartbeat.node());
              failing = false;
            }
            lease.acknowledged(sentNanos);
          });
    } catch (RuntimeException e) {
      // send() itself fails fast (max.block.ms) when metadata cannot be fetched: same as no ack.
      if (!failing) {
        LOG.warn("cluster={} node={} cannot send heartbeats: {}", heartbeat.cluster(), heartbeat.node(), e.toString());
        failing = true;
      }
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(2));
  }
}
