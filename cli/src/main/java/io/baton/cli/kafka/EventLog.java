package io.baton.cli.kafka;

import io.baton.cli.cluster.Maintenance;
import io.baton.client.kafka.KafkaConnection;
import io.baton.events.ClusterEvent;
import io.baton.events.EventCodec;
import io.baton.events.EventType;
import io.baton.events.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/** One cluster's events, from the partition of the events topic that holds them. */
public final class EventLog implements AutoCloseable {
  /** Read backwards in chunks this big when looking for the last maintenance change. */
  private static final int CHUNK = 2000;
  /** Give up looking for the last maintenance change after this many events. */
  private static final long SCAN_LIMIT = 200_000;

  private final String cluster;
  private final KafkaConnection connection;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition partition;

  private EventLog(
      String cluster, KafkaConnection connection, KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition partition) {
    this.cluster = cluster;
    this.connection = connection;
    this.consumer = consumer;
    this.partition = partition;
  }

  public static EventLog open(KafkaAccess kafka, String cluster) {
    KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
    try {
      TopicPartition partition = KafkaAccess.partitionFor(
          KafkaAccess.partitions(consumer, kafka.connection().topics().events(), kafka.connection()),
          cluster);
      consumer.assign(List.of(partition));
      return new EventLog(cluster, kafka.connection(), consumer, partition);
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  /**
   * Hands every event of the cluster from {@code since} on to {@code sink}: up to the end of the
   * partition as it is now, or, with {@code follow}, until {@code stop} says so.
   */
  public void read(Instant since, boolean follow, BooleanSupplier stop, Consumer<ClusterEvent> sink) {
    try {
      OffsetAndTimestamp start =
          consumer.offsetsForTimes(Map.of(partition, since.toEpochMilli())).get(partition);
      if (start == null) {
        consumer.seekToEnd(List.of(partition));
      } else {
        consumer.seek(partition, start.offset());
      }
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (!stop.getAsBoolean() && (follow || consumer.position(partition) < end)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          event(record).ifPresent(sink);
        }
      }
    } catch (KafkaException e) {
      throw unavailable(e);
    }
  }

  /** The maintenance mode, from the newest {@code maintenance-changed} event of the cluster. */
  public Maintenance maintenance() {
    try {
      long begin = consumer.beginningOffsets(List.of(partition)).get(partition);
      long upTo = consumer.endOffsets(List.of(partition)).get(partition);
      long scanned = 0;
      while (upTo > begin) {
        if (scanned >= SCAN_LIMIT) {
          return Maintenance.unknown();
        }
        long from = Math.max(begin, upTo - CHUNK);
        Optional<Maintenance> found = lastMaintenanceChange(from, upTo);
        if (found.isPresent()) {
          return found.get();
        }
        scanned += upTo - from;
        upTo = from;
      }
      return Maintenance.neverChanged();
    } catch (KafkaException e) {
      throw unavailable(e);
    }
  }

  private Optional<Maintenance> lastMaintenanceChange(long from, long upTo) {
    consumer.seek(partition, from);
    List<ClusterEvent> changes = new ArrayList<>();
    long deadline = System.nanoTime() + KafkaAccess.CALL_TIMEOUT.toNanos();
    while (consumer.position(partition) < upTo) {
      if (System.nanoTime() > deadline) {
        throw new KafkaUnavailableException("could not read " + partition + " within "
            + KafkaAccess.CALL_TIMEOUT.toSeconds() + "s (" + connection.describe() + ")");
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.offset() < upTo) {
          event(record).filter(e -> e.type() == EventType.MAINTENANCE_CHANGED).ifPresent(changes::add);
        }
      }
    }
    for (int i = changes.size() - 1; i >= 0; i--) {
      Optional<Maintenance> mode = Maintenance.of(changes.get(i));
      if (mode.isPresent()) {
        return mode;
      }
    }
    return Optional.empty();
  }

  private Optional<ClusterEvent> event(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null
        || !cluster.equals(new String(record.key(), StandardCharsets.UTF_8))
        || record.value() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(EventCodec.read(record.value(), ClusterEvent.class));
    } catch (MalformedEventException e) {
      return Optional.empty();
    }
  }

  private KafkaUnavailableException unavailable(KafkaException e) {
    return new KafkaUnavailableException(
        "reading " + partition + " failed (" + connection.describe() + "): "
            + KafkaAccess.rootMessage(e), e);
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
  }
}
