package io.baton.lab;

import io.baton.events.EventCodec;
import io.baton.events.MalformedEventException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one of Baton's topics from the beginning, as committed, into a list of typed records with
 * their broker timestamps, and lets a caller wait for one that matches.
 */
public final class TopicTail<T> implements AutoCloseable {

  /** A record read, with its key and the broker's timestamp. */
  public record Entry<T>(String key, T value, Instant timestamp, long receivedNanos) {}

  private final List<Entry<T>> entries = new ArrayList<>();
  private final KafkaConsumer<String, byte[]> consumer;
  /** The offset after the last record read, per partition; used on the tail's thread only. */
  private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
  private final Thread thread;
  private final List<Consumer<Entry<T>>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  public TopicTail(String bootstrap, String topic, Class<T> type) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "baton-lab-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

      /**
       * A rebalance of the tail's group (a restarted broker can cause one) loses the positions,
       * and the tail commits none: without this it would read every record again.
       */
      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
          Long next = nextOffsets.get(partition);
          if (next != null) {
            consumer.seek(partition, next);
          }
        }
      }
    });
    thread =
        new Thread(
            () -> {
              try {
                while (running) {
                  for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    nextOffsets.put(new TopicPartition(record.topic(), record.partition()),
                        record.offset() + 1);
                    T value;
                    try {
                      value = EventCodec.read(record.value(), type);
                    } catch (MalformedEventException e) {
                      continue;
                    }
                    Entry<T> entry =
                        new Entry<>(record.key(), value, Instant.ofEpochMilli(record.timestamp()), now);
                    synchronized (entries) {
                      entries.add(entry);
                      entries.notifyAll();
                      listeners.forEach(l -> l.accept(entry));
                    }
                  }
                }
              } catch (WakeupException e) {
                // closing
              } finally {
                consumer.close(Duration.ofSeconds(1));
              }
            },
            "lab-tail-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Called for every record: at once for those already read, then for each new one on the tail's
   * thread; none is missed or seen twice.
   */
  public void onRecord(Consumer<Entry<T>> listener) {
    synchronized (entries) {
      entries.forEach(listener);
      listeners.add(listener);
    }
  }

  public List<Entry<T>> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  public List<T> values() {
    return entries().stream().map(Entry::value).toList();
  }

  /** The first record at or after index {@code from} that matches, waiting up to the timeout. */
  public Optional<Entry<T>> await(int from, Predicate<T> matching, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (entries) {
      while (true) {
        for (int i = from; i < entries.size(); i++) {
          if (matching.test(entries.get(i).value())) {
            return Optional.of(entries.get(i));
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        try {
          entries.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Optional.empty();
        }
      }
    }
  }

  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
