package io.baton.testkit.kafka;

import java.util.Optional;
import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Kafka in Docker, for the few tests that must run against the official image. Those tests use
 * {@code @Testcontainers(disabledWithoutDocker = true)}, so they are reported as skipped (not
 * failed, not silently passed) on machines without a Docker engine, where {@link EmbeddedKafka}
 * covers the same ground.
 */
public final class KafkaContainers {
  /** Environment variable overriding the image, e.g. {@code apache/kafka:4.1.1}. */
  public static final String IMAGE_ENV = "BATON_KAFKA_IMAGE";

  private KafkaContainers() {}

  /** The {@code apache/kafka} image matching the kafka-clients on the classpath. */
  public static String image() {
    return Optional.ofNullable(System.getenv(IMAGE_ENV))
        .filter(s -> !s.isBlank())
        .orElse("apache/kafka:" + AppInfoParser.getVersion());
  }

  /**
   * A not yet started single-node KRaft container, configured like {@link EmbeddedKafka}: no
   * automatic topic creation, replication factor 1 for the internal topics, no initial
   * rebalance delay.
   */
  public static KafkaContainer apacheKafka() {
    return new KafkaContainer(image())
        .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
        .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
        .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "1")
        .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
        .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
        .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
        .withEnv("KAFKA_NUM_PARTITIONS", "1");
  }
}
