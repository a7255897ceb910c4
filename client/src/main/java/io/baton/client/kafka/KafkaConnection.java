package io.baton.client.kafka;

import io.baton.events.TopicNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How every Baton process reaches Kafka: the bootstrap servers, the topic prefix, and extra client
 * properties (TLS, SASL) from a properties file. Secrets stay in that file or in the environment:
 * the file may use Kafka's own config providers, e.g. {@code
 * config.providers=env} and {@code sasl.jaas.config=${env:BATON_KAFKA_JAAS}}. Values are never
 * logged, only keys.
 */
public record KafkaConnection(
    String bootstrapServers, TopicNames topics, Map<String, String> clientProperties) {

  public KafkaConnection {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("Kafka bootstrap servers are not set");
    }
    clientProperties = Map.copyOf(clientProperties);
  }

  public static KafkaConnection of(String bootstrapServers, String topicPrefix) {
    return new KafkaConnection(bootstrapServers, new TopicNames(topicPrefix), Map.of());
  }

  /** With the client properties of a file, if one is given. */
  public static KafkaConnection of(
      String bootstrapServers, String topicPrefix, Optional<Path> propertiesFile) {
    Map<String, String> extra = new TreeMap<>();
    propertiesFile.ifPresent(path -> extra.putAll(load(path)));
    return new KafkaConnection(bootstrapServers, new TopicNames(topicPrefix), extra);
  }

  /** Client properties: the bootstrap servers plus the extra properties. */
  public Properties properties() {
    Properties properties = new Properties();
    properties.putAll(clientProperties);
    properties.put("bootstrap.servers", bootstrapServers);
    return properties;
  }

  /** For logs: where, and which extra keys, never their values. */
  public String describe() {
    return "bootstrap.servers=" + bootstrapServers + " topic prefix '" + topics.prefix() + "'"
        + (clientProperties.isEmpty() ? "" : " with client properties " + clientProperties.keySet());
  }

  private static Map<String, String> load(Path path) {
    Properties loaded = new Properties();
    try (InputStream in = Files.newInputStream(path)) {
      loaded.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Kafka client properties from " + path, e);
    }
    Map<String, String> values = new TreeMap<>();
    loaded.stringPropertyNames().forEach(key -> values.put(key, loaded.getProperty(key)));
    return values;
  }
}
