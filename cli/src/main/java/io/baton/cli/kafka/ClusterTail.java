package io.baton.cli.kafka;

import io.baton.cli.cluster.ClusterView;
import io.baton.cli.cluster.HeartbeatRecord;
import io.baton.cli.cluster.Maintenance;
import io.baton.client.kafka.KafkaConnection;
import io.baton.events.Assignment;
import io.baton.events.EventCodec;
import io.baton.events.Heartbeat;
import io.baton.events.MalformedEventException;
import io.baton.events.MasterRecord;
import io.baton.events.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one cluster's state from Kafka and keeps it current: the cluster's master record, the
 * heartbeats of a recent window, and every node's assignment. One consumer, assigned to exactly
 * the partitions that hold this cluster (all of the assignments topic, whose keys are
 * {@code cluster/node}).
 */
public final class ClusterTail implements AutoCloseable {
  /** How far back heartbeats are read: every live agent has sent several in this time. */
  public static final Duration WINDOW = Duration.ofMinutes(1);

  private final String cluster;
  private final KafkaConnection connection;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicNames topics;
  private final TopicPartition heartbeatPartition;
  private final Map<TopicPartition, Long> endsAtOpen;
  private final Map<String, HeartbeatRecord> heartbeats = new HashMap<>();
  private final Map<String, Assignment> assignments = new HashMap<>();
  private Optional<MasterRecord> master = Optional.empty();
  private long malformed;

  private ClusterTail(
      String cluster, KafkaConnection connection, KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition heartbeatPartition, Map<TopicPartition, Long> endsAtOpen) {
    this.cluster = cluster;
    this.connection = connection;
    this.consumer = consumer;
    this.topics = connection.topics();
    this.heartbeatPartition = heartbeatPartition;
    this.endsAtOpen = endsAtOpen;
  }

  /**
   * Opens the tail and reads up to the ends of the partitions as they were at opening.
   *
   * @param window how far back to read heartbeats, in broker time
   */
  public static ClusterTail open(KafkaAccess kafka, String cluster, Duration window, Instant now) {
    KafkaConnection connection = kafka.connection();
    TopicNames topics = connection.topics();
    KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
    try {
      TopicPartition heartbeatPartition = KafkaAccess.partitionFor(
          KafkaAccess.partitions(consumer, topics.heartbeats(), connection), cluster);
      TopicPartition masterPartition = KafkaAccess.partitionFor(
          KafkaAccess.partitions(consumer, topics.master(), connection), cluster);
      List<TopicPartition> assignmentPartitions =
          KafkaAccess.partitions(consumer, topics.assignments(), connection);
      List<TopicPartition> all = new ArrayList<>(assignmentPartitions);
      all.add(heartbeatPartition);
      all.add(masterPartition);
      consumer.assign(all);
      consumer.seekToBeginning(assignmentPartitions);
      consumer.seekToBeginning(List.of(masterPartition));
      OffsetAndTimestamp windowStart = consumer
          .offsetsForTimes(Map.of(heartbeatPartition, now.minus(window).toEpochMilli()))
          .get(heartbeatPartition);
      if (windowStart == null) {
        consumer.seekToEnd(List.of(heartbeatPartition));
      } else {
        consumer.seek(heartbeatPartition, windowStart.offset());
      }
      Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(all));
      ClusterTail tail = new ClusterTail(cluster, connection, consumer, heartbeatPartition, ends);
      tail.catchUp();
      return tail;
    } catch (KafkaException e) {
      consumer.close();
      throw unavailable(connection, e);
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  private void catchUp() {
    long deadline = System.nanoTime() + KafkaAccess.CALL_TIMEOUT.toNanos();
    while (!caughtUp()) {
      if (System.nanoTime() > deadline) {
        throw new KafkaUnavailableException(
            "could not read " + cluster + "'s records from Kafka within "
                + KafkaAccess.CALL_TIMEOUT.toSeconds() + "s (" + connection.describe() + ")");
      }
      poll(Duration.ofMillis(200));
    }
  }

  private boolean caughtUp() {
    return endsAtOpen.entrySet().stream()
        .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
  }

  /** Reads what arrived; returns this cluster's new heartbeats in the order of the topic. */
  public List<HeartbeatRecord> poll(Duration timeout) {
    List<HeartbeatRecord> fresh = new ArrayList<>();
    try {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
        apply(record).ifPresent(fresh::add);
      }
    } catch (KafkaException e) {
      throw unavailable(connection, e);
    }
    return fresh;
  }

  private Optional<HeartbeatRecord> apply(ConsumerRecord<byte[], byte[]> record) {
    // Clock ticks have no key; other clusters share the partitions.
    if (record.key() == null) {
      return Optional.empty();
    }
    String key = new String(record.key(), StandardCharsets.UTF_8);
    try {
      if (record.topic().equals(topics.heartbeats()) && key.equals(cluster)) {
        Heartbeat heartbeat = EventCodec.read(record.value(), Heartbeat.class);
        HeartbeatRecord read = new HeartbeatRecord(
            heartbeat, record.offset(), Instant.ofEpochMilli(record.timestamp()));
        heartbeats.put(heartbeat.node(), read);
        return Optional.of(read);
      }
      if (record.topic().equals(topics.master()) && key.equals(cluster) && record.value() != null) {
        MasterRecord read = EventCodec.read(record.value(), MasterRecord.class);
        // Compaction keeps the newest, but a stale record may still sit ahead of it.
        if (master.filter(m -> m.epoch() > read.epoch()).isEmpty()) {
          master = Optional.of(read);
        }
      } else if (record.topic().equals(topics.assignments()) && key.startsWith(cluster + "/")) {
        String node = key.substring(cluster.length() + 1);
        if (record.value() == null) {
          assignments.remove(node);
        } else {
          Assignment read = EventCodec.read(record.value(), Assignment.class);
          if (assignments.get(node) == null || assignments.get(node).generation() < read.generation()) {
            assignments.put(node, read);
          }
        }
      }
    } catch (MalformedEventException e) {
      malformed++;
    }
    return Optional.empty();
  }

  /** The cluster as read so far. */
  public ClusterView view(Maintenance maintenance, Instant now) {
    return new ClusterView(cluster, master, heartbeats, assignments, maintenance, now);
  }

  /**
   * The offset the next heartbeat of the cluster's partition will get: heartbeats at or after it
   * were sent after this call.
   */
  public long heartbeatsEnd() {
    try {
      return consumer.endOffsets(List.of(heartbeatPartition)).get(heartbeatPartition);
    } catch (KafkaException e) {
      throw unavailable(connection, e);
    }
  }

  /** Records of this cluster that could not be read (skipped). */
  public long malformedRecords() {
    return malformed;
  }

  private static KafkaUnavailableException unavailable(KafkaConnection connection, KafkaException e) {
    return new KafkaUnavailableException(
        "reading from Kafka failed (" + connection.describe() + "): " + KafkaAccess.rootMessage(e), e);
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
  }
}
