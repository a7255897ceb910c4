package io.baton.coordinator.topology;

import io.baton.events.ClockTick;
import io.baton.events.EventCodec;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends a {@link ClockTick} to every partition of the heartbeats topic at a fixed interval. The
 * broker stamps each with its append time, so the coordinator's clock moves in broker time even
 * when no agent of a partition heartbeats, and detection granularity is the tick interval rather
 * than the heartbeat interval. Several coordinator instances ticking is harmless.
 */
public final class ClockTicker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClockTicker.class);

  private final KafkaProducer<String, byte[]> producer;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "baton-clock-ticker"));
  private final byte[] tick;
  private volatile boolean failing;

  public ClockTicker(Properties kafka, String source) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "2000");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "1000");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.tick = EventCodec.write(new ClockTick(source));
  }

  public void start(String heartbeatsTopic, int partitions, Duration interval) {
    scheduler.scheduleAtFixedRate(
        () -> {
          for (int partition = 0; partition < partitions; partition++) {
            try {
              producer.send(
                  new ProducerRecord<>(heartbeatsTopic, partition, null, null, tick),
                  (metadata, error) -> report(error));
            } catch (RuntimeException e) {
              report(e);
            }
          }
        },
        0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void report(Exception error) {
    if (error != null && !failing) {
      LOG.warn("clock ticks are not being appended ({}): failure detection waits for agents' heartbeats", error.toString());
      failing = true;
    } else if (error == null && failing) {
      LOG.info("clock ticks are being appended again");
      failing = false;
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    producer.close(Duration.ofSeconds(2));
  }
}
