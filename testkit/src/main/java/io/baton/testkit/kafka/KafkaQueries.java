package io.baton.testkit.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What {@link KafkaBrokers} asks the cluster itself, through the admin and producer clients:
 * whether a node serves, who leads, and which time a broker stamps on records.
 */
final class KafkaQueries {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration POLL = Duration.ofMillis(100);
  /** Append times are whole milliseconds, taken between the send and the acknowledgement. */
  private static final Duration CLOCK_TOLERANCE = Duration.ofMillis(50);

  private KafkaQueries() {}

  /** An admin client's settings: short timeouts, so a query to a frozen node fails over. */
  static Properties adminConfig(String bootstrapServers) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-brokers-testkit");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    props.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "500");
    return props;
  }

  static Map<String, TopicDescription> describe(Admin admin, Collection<String> topics) {
    return get(admin.describeTopics(topics).allTopicNames(), "describe " + topics);
  }

  static int quorumLeader(Admin admin) {
    return get(admin.describeMetadataQuorum().quorumInfo(), "describe the KRaft quorum")
        .leaderId();
  }

  /**
   * Why a node does not serve yet, or empty when it does: it answers a client that knows only
   * its address, the cluster lists it among the unfenced brokers, and it is in the ISR of every
   * partition it replicates.
   *
   * @param direct an admin client bootstrapped with the node's address alone
   * @param cluster an admin client bootstrapped with every node
   */
  static Optional<String> notServing(Admin direct, Admin cluster, int node) {
    try {
      Collection<Node> unfenced = get(direct.describeCluster().nodes(), "describe the cluster");
      if (unfenced.stream().noneMatch(n -> n.id() == node)) {
        return Optional.of("answering, but not among the unfenced brokers " + unfenced);
      }
      Collection<String> topics = get(
          cluster.listTopics(new ListTopicsOptions().listInternal(true)).names(), "list topics");
      List<String> behind = describe(cluster, topics).values().stream()
          .flatMap(topic -> topic.partitions().stream()
              .filter(p -> p.replicas().stream().anyMatch(r -> r.id() == node))
              .filter(p -> p.isr().stream().noneMatch(r -> r.id() == node))
              .map(p -> topic.name() + "-" + p.partition()))
          .toList();
      return behind.isEmpty()
          ? Optional.empty()
          : Optional.of("not yet in the ISR of " + behind);
    } catch (IllegalStateException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Produces to {@code probeTopic}, a partition on {@code broker} alone with broker append time,
   * until the broker stamps records {@code offset} away from this JVM's clock.
   */
  static void awaitClockOffset(Admin admin, String bootstrapServers, String probeTopic,
      int broker, Duration offset, Duration timeout) {
    try {
      get(admin.createTopics(List.of(new NewTopic(probeTopic, Map.of(0, List.of(broker)))
          .configs(Map.of("message.timestamp.type", "LogAppendTime",
              "min.insync.replicas", "1")))).all(), "create " + probeTopic);
    } catch (IllegalStateException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000");
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no record acknowledged";
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      while (true) {
        long before = System.currentTimeMillis();
        try {
          RecordMetadata appended = producer.send(new ProducerRecord<>(probeTopic, new byte[0]))
              .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          long after = System.currentTimeMillis();
          long shifted = appended.timestamp() - offset.toMillis();
          if (shifted >= before - CLOCK_TOLERANCE.toMillis()
              && shifted <= after + CLOCK_TOLERANCE.toMillis()) {
            return;
          }
          last = "broker time " + (appended.timestamp() - before) + " ms ahead of this JVM's";
        } catch (ExecutionException | TimeoutException e) {
          last = "producing to " + probeTopic + " failed: " + e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while checking a broker's clock", e);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Kafka node " + broker + " did not take the clock "
              + "offset " + offset + " within " + timeout + ": " + last);
        }
        pause();
      }
    }
  }

  /** Between two polls of the cluster. */
  static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  private static <T> T get(KafkaFuture<T> future, String what) {
    try {
      return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not " + what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("could not " + what + " within " + CALL_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }
}
