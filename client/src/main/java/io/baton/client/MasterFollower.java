package io.baton.client;

import io.baton.events.MasterRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows Baton's master topic: knows the current primary of every (or every chosen) PostgreSQL
 * cluster and tells listeners when it changes.
 *
 * <pre>{@code
 * MasterFollower follower = new MasterFollower(FollowerOptions.builder("kafka:9092").build());
 * follower.addListener((previous, current, publishedAt) -> log.info("primary is {}", current.node()));
 * follower.start();
 * if (!follower.awaitReady(Duration.ofSeconds(30))) { ... }
 * String url = follower.jdbcUrl("orders", "app");
 * }</pre>
 *
 * <p>It reads every partition of the topic with {@code assign()}, never as a member of a consumer
 * group, so any number of instances each see every cluster. On {@link #start()} it reads from the
 * beginning up to the end offsets of that moment and is then <em>ready</em>: {@link #current} and
 * {@link #jdbcUrl} answer, and each listener gets the current master of every cluster, then one
 * call per epoch increase. Records whose epoch is not newer than the last applied one for their
 * cluster are stale and ignored; malformed records are logged with their position and skipped.
 *
 * <p>One daemon thread does the reading and calls the listeners (see {@link MasterListener}).
 * Broker restarts and other transient errors are logged at warn and retried with backoff; the
 * thread ends only on {@link #close()}.
 */
public final class MasterFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MasterFollower.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  /** How often to look for partitions added to the topic. */
  private static final Duration PARTITION_RECHECK = Duration.ofSeconds(30);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final FollowerOptions options;
  private final MasterBook book;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Map<TopicPartition, Long> endOffsetsAtStart = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;
  private volatile OptionalLong lag = OptionalLong.empty();
  private volatile Optional<String> problem = Optional.empty();
  private boolean started;

  public MasterFollower(FollowerOptions options) {
    this.options = options;
    this.book = new MasterBook(options);
  }

  /**
   * Creates the Kafka consumer and starts reading on a daemon thread.
   *
   * @throws KafkaException when the consumer cannot be created (bad bootstrap servers or
   *     properties); nothing is left running then
   * @throws IllegalStateException when called twice
   */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("the follower of " + options.masterTopic()
          + " was already started");
    }
    started = true;
    log.info("following {}", options);
    consumer = new KafkaConsumer<>(consumerProperties());
    thread = new Thread(this::run, "baton-follower-" + options.clientId());
    thread.setDaemon(true);
    thread.start();
  }

  private Properties consumerProperties() {
    Properties props = new Properties();
    // The coordinator writes the master topic in transactions; aborted records are not news.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, options.clientId());
    props.putAll(options.kafkaProperties());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    options.groupId().ifPresentOrElse(
        group -> props.put(ConsumerConfig.GROUP_ID_CONFIG, group),
        () -> props.remove(ConsumerConfig.GROUP_ID_CONFIG));
    return props;
  }

  private void run() {
    Duration backoff = MIN_BACKOFF;
    long nextPartitionCheck = System.nanoTime();
    try {
      while (closing.getCount() > 0) {
        try {
          if (System.nanoTime() - nextPartitionCheck >= 0) {
            if (!assignPartitions()) {
              pause(backoff);
              backoff = longer(backoff);
              continue;
            }
            nextPartitionCheck = System.nanoTime() + PARTITION_RECHECK.toNanos();
          }
          ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
          for (ConsumerRecord<byte[], byte[]> record : records) {
            book.offer(incoming(record));
          }
          if (!book.isReady() && caughtUp()) {
            book.markReady();
            ready.countDown();
          }
          book.welcomeNewListeners();
          measureLag();
          commitPosition();
          problem.ifPresent(p -> log.info("reading {} again after: {}", options.masterTopic(), p));
          problem = Optional.empty();
          backoff = MIN_BACKOFF;
        } catch (WakeupException e) {
          // close() or a listener waiting for its snapshot interrupted the poll: loop around.
        } catch (RuntimeException e) {
          problem = Optional.of(e.toString());
          log.warn("reading {} from {} failed, retrying in {} ms: {}", options.masterTopic(),
              options.bootstrapServers(), backoff.toMillis(), e.toString());
          pause(backoff);
          backoff = longer(backoff);
        }
      }
    } finally {
      try {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      } catch (RuntimeException e) {
        log.debug("closing the consumer of {}: {}", options.masterTopic(), e.toString());
      }
    }
  }

  /** Assigns every partition of the topic; false (with the reason logged) when it is missing. */
  private boolean assignPartitions() {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(options.masterTopic(), REQUEST_TIMEOUT);
    } catch (UnknownTopicOrPartitionException e) {
      infos = List.of();
    }
    if (infos == null || infos.isEmpty()) {
      String missing = missingTopicMessage();
      problem = Optional.of(missing);
      log.warn("{}; looking again", missing);
      return false;
    }
    Set<TopicPartition> all = infos.stream()
        .map(info -> new TopicPartition(info.topic(), info.partition()))
        .collect(Collectors.toSet());
    Set<TopicPartition> added = new TreeSet<>(
        java.util.Comparator.comparingInt(TopicPartition::partition));
    added.addAll(all);
    added.removeAll(consumer.assignment());
    if (!added.isEmpty()) {
      consumer.assign(all);
      consumer.seekToBeginning(added);
      log.info("reading {} partition(s) {} of {} from the beginning", added.size(),
          added.stream().map(TopicPartition::partition).toList(), options.masterTopic());
    }
    if (!book.isReady()) {
      // Asked after assign(): the consumer then keeps the answer as the partitions' stable offset.
      Set<TopicPartition> unknownEnds = new java.util.HashSet<>(all);
      unknownEnds.removeAll(endOffsetsAtStart.keySet());
      if (!unknownEnds.isEmpty()) {
        endOffsetsAtStart.putAll(consumer.endOffsets(unknownEnds, REQUEST_TIMEOUT));
      }
    }
    return true;
  }

  private String missingTopicMessage() {
    return "master topic '" + options.masterTopic() + "' does not exist on "
        + options.bootstrapServers() + ": start the Baton coordinator or create Baton's topics"
        + " first (or check the topic prefix)";
  }

  private boolean caughtUp() {
    if (!endOffsetsAtStart.keySet().containsAll(consumer.assignment())) {
      return false;
    }
    for (Map.Entry<TopicPartition, Long> end : endOffsetsAtStart.entrySet()) {
      if (consumer.position(end.getKey(), REQUEST_TIMEOUT) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void measureLag() {
    long sum = 0;
    for (TopicPartition partition : consumer.assignment()) {
      OptionalLong behind = consumer.currentLag(partition);
      if (behind.isPresent()) {
        sum += behind.getAsLong();
      } else if (endOffsetsAtStart.containsKey(partition)) {
        sum += Math.max(0, endOffsetsAtStart.get(partition)
            - consumer.position(partition, REQUEST_TIMEOUT));
      } else {
        lag = OptionalLong.empty();
        return;
      }
    }
    lag = OptionalLong.of(sum);
  }

  private void commitPosition() {
    if (options.groupId().isEmpty() || !book.isReady()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
    for (TopicPartition partition : consumer.assignment()) {
      long position = consumer.position(partition, REQUEST_TIMEOUT);
      if (!Long.valueOf(position).equals(committed.get(partition))) {
        offsets.put(partition, new OffsetAndMetadata(position));
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    consumer.commitAsync(offsets, (done, error) -> {
      if (error == null) {
        done.forEach((partition, offset) -> committed.put(partition, offset.offset()));
      } else {
        log.debug("committing the position of {} for group {} failed (retried with the next"
            + " records): {}", options.masterTopic(), options.groupId().get(), error.toString());
      }
    });
  }

  private static IncomingRecord incoming(ConsumerRecord<byte[], byte[]> record) {
    return new IncomingRecord(record.topic(), record.partition(), record.offset(),
        Instant.ofEpochMilli(record.timestamp()), Optional.ofNullable(record.key()),
        Optional.ofNullable(record.value()));
  }

  private void pause(Duration duration) {
    try {
      closing.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closing.countDown();
    }
  }

  private static Duration longer(Duration backoff) {
    Duration doubled = backoff.multipliedBy(2);
    return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
  }

  /**
   * Waits until the follower has read the topic up to the end offsets it saw at start.
   *
   * @return whether it is ready; false on timeout or when the waiting thread is interrupted
   *     (its interrupt flag is then set again)
   */
  public boolean awaitReady(Duration timeout) {
    try {
      return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public boolean isReady() {
    return book.isReady();
  }

  /** The current master of a cluster; empty when unknown (or not followed, or not ready yet). */
  public Optional<MasterRecord> current(String cluster) {
    return book.current(cluster);
  }

  /** The current master of every known cluster, by cluster name. */
  public Map<String, MasterRecord> all() {
    return book.all();
  }

  /** A JDBC URL for database {@code database} on the current master of {@code cluster}. */
  public String jdbcUrl(String cluster, String database) {
    return jdbcUrl(cluster, database, Map.of());
  }

  /**
   * A JDBC URL for {@code database} on the current master of {@code cluster}, with extra URL
   * parameters (e.g. {@code connectTimeout}, {@code sslmode}). Credentials do not belong here:
   * pass them as connection properties.
   *
   * @throws NoMasterException when the follower is not ready yet or the cluster is unknown
   */
  public String jdbcUrl(String cluster, String database, Map<String, String> parameters) {
    MasterRecord master = current(cluster).orElseThrow(() -> noMaster(cluster));
    return JdbcUrl.of(master.host(), master.port(), database, parameters);
  }

  private NoMasterException noMaster(String cluster) {
    if (!options.follows(cluster)) {
      return new NoMasterException("cluster '" + cluster + "' is not followed by this follower"
          + " (it follows " + new TreeSet<>(options.clusters()) + ")");
    }
    if (!book.isReady()) {
      return new NoMasterException("no master known for cluster '" + cluster + "' yet: the"
          + " follower has not caught up with " + options.masterTopic()
          + problem.map(p -> " (" + p + ")").orElse(" (still reading)"));
    }
    return new NoMasterException("no master known for cluster '" + cluster + "': it has no"
        + " record on " + options.masterTopic() + " (known clusters: "
        + new TreeSet<>(book.all().keySet()) + ")");
  }

  /**
   * Adds a listener; it is called on the follower's thread (see {@link MasterListener}). A
   * listener added after the follower is ready gets the current master of every cluster first.
   */
  public void addListener(MasterListener listener) {
    book.addListener(listener);
    if (book.isReady()) {
      wakeUp();
    }
  }

  public boolean removeListener(MasterListener listener) {
    return book.removeListener(listener);
  }

  private synchronized void wakeUp() {
    if (consumer != null) {
      consumer.wakeup();
    }
  }

  /** Records on the topic not read yet, summed over its partitions; empty while unknown. */
  public OptionalLong lag() {
    return lag;
  }

  /** The epoch of the master last applied for {@code cluster}, for metrics. */
  public OptionalLong lastAppliedEpoch(String cluster) {
    return book.lastAppliedEpoch(cluster);
  }

  /** How many malformed records were skipped since start. */
  public long malformedRecords() {
    return book.malformedRecords();
  }

  /** What keeps the follower from reading right now (a missing topic, a broker down). */
  public Optional<String> problem() {
    return problem;
  }

  public FollowerOptions options() {
    return options;
  }

  /** Stops reading and closes the consumer; waits up to ~10 s for the thread to end. */
  @Override
  public void close() {
    closing.countDown();
    Thread running;
    synchronized (this) {
      running = thread;
      if (consumer != null) {
        consumer.wakeup();
      }
    }
    if (running != null && running != Thread.currentThread()) {
      try {
        running.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
