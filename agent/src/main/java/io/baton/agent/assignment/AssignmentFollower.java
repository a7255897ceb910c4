package io.baton.agent.assignment;

import io.baton.agent.supervisor.AssignmentSource;
import io.baton.client.kafka.KafkaConnection;
import io.baton.events.Assignment;
import io.baton.events.EventCodec;
import io.baton.events.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows this node's key on the compacted assignments topic: reads the one partition the key
 * lives in from the beginning, keeps the assignment with the highest generation, and knows when it
 * has read everything that was there (an agent decides nothing before that).
 */
public final class AssignmentFollower implements AssignmentSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AssignmentFollower.class);

  private final KafkaConnection kafka;
  private final String key;
  private final Runnable onNewAssignment;
  private final AtomicReference<Optional<Assignment>> latest = new AtomicReference<>(Optional.empty());
  private volatile boolean caughtUpOnce;
  private volatile boolean running = true;
  private final Thread thread;
  private KafkaConsumer<String, byte[]> consumer;

  public AssignmentFollower(KafkaConnection kafka, String cluster, String node, Runnable onNewAssignment) {
    this.kafka = kafka;
    this.key = Assignment.key(cluster, node);
    this.onNewAssignment = onNewAssignment;
    this.thread = new Thread(this::follow, "baton-assignments");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  @Override
  public Optional<Assignment> latest() {
    return latest.get();
  }

  /** Waits until everything on the topic at start was read. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!caughtUpOnce && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return caughtUpOnce;
  }

  private void follow() {
    Properties props = kafka.properties();
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    // The coordinator writes assignments in transactions: an assignment of a transaction it
    // aborted (it crashed before committing) was never decided, and must never be acted on.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    while (running) {
      try (KafkaConsumer<String, byte[]> c =
          new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
        consumer = c;
        TopicPartition partition = partition(c);
        c.assign(List.of(partition));
        c.seekToBeginning(List.of(partition));
        while (running) {
          for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(200))) {
            if (key.equals(record.key()) && record.value() != null) {
              accept(record);
            }
          }
          // Asked only until the first catch-up: after it, each poll would cost a broker request
          // more, for an answer nothing uses.
          if (!caughtUpOnce) {
            Map<TopicPartition, Long> end = c.endOffsets(List.of(partition), Duration.ofSeconds(2));
            caughtUpOnce = c.position(partition) >= end.get(partition);
          }
        }
      } catch (WakeupException e) {
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        LOG.warn("cannot read assignments from {} ({}): {}; retrying", kafka.topics().assignments(), kafka.describe(), e.toString());
        sleep(Duration.ofSeconds(1));
      }
    }
  }

  private TopicPartition partition(KafkaConsumer<String, byte[]> c) {
    while (running) {
      List<PartitionInfo> partitions = c.partitionsFor(kafka.topics().assignments(), Duration.ofSeconds(5));
      if (partitions != null && !partitions.isEmpty()) {
        // The coordinator keys assignments cluster/node with Kafka's default partitioner.
        int index = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions.size();
        return new TopicPartition(kafka.topics().assignments(), index);
      }
      LOG.warn("topic {} does not exist yet: waiting for the coordinator to create it", kafka.topics().assignments());
      sleep(Duration.ofSeconds(1));
    }
    throw new WakeupException();
  }

  private void accept(ConsumerRecord<String, byte[]> record) {
    Assignment assignment;
    try {
      assignment = EventCodec.read(record.value(), Assignment.class);
    } catch (MalformedEventException e) {
      LOG.error("ignoring an unreadable assignment at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
      return;
    }
    Optional<Assignment> current = latest.get();
    if (current.isPresent() && assignment.generation() <= current.get().generation()) {
      return;
    }
    latest.set(Optional.of(assignment));
    onNewAssignment.run();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
