package io.baton.coordinator.config;

import io.baton.client.kafka.KafkaConnection;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where Kafka is ({@code baton.kafka.*}).
 *
 * @param propertiesFile extra client properties (TLS, SASL) for every client of this process
 */
@ConfigurationProperties("baton.kafka")
public record KafkaConfig(
    @Bindable(defaultValue = "localhost:9092") @NotBlank String bootstrapServers,
    @Bindable(defaultValue = "baton.") String topicPrefix,
    Optional<Path> propertiesFile) {

  public KafkaConnection connection() {
    return KafkaConnection.of(bootstrapServers, topicPrefix, propertiesFile);
  }
}
