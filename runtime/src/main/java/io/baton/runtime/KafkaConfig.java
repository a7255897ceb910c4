package io.baton.runtime;

import io.baton.client.kafka.KafkaConnection;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where Kafka is, shared by every subscriber ({@code baton.kafka.*}), the same keys as the
 * coordinator's.
 *
 * @param bootstrapServers Kafka's bootstrap servers, default {@code localhost:9092}
 * @param topicPrefix the prefix of Baton's topics, default {@code baton.} (master topic
 *     {@code baton.master})
 * @param propertiesFile extra client properties (TLS, SASL; secrets stay in that file or come
 *     from the environment through Kafka's config providers), default none
 * @param statusInterval how often each subscriber logs its lag and applied epochs, default 60 s
 */
@ConfigurationProperties("baton.kafka")
public record KafkaConfig(
    @Bindable(defaultValue = "localhost:9092") String bootstrapServers,
    @Bindable(defaultValue = "baton.") String topicPrefix,
    Optional<Path> propertiesFile,
    @Bindable(defaultValue = "60s") Duration statusInterval) {

  public KafkaConfig {
    Checks.notBlank("baton.kafka.bootstrap-servers", bootstrapServers);
    Checks.positive("baton.kafka.status-interval", statusInterval);
  }

  public KafkaConnection connection() {
    return KafkaConnection.of(bootstrapServers, topicPrefix, propertiesFile);
  }
}
