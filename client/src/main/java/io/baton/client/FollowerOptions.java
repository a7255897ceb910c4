package io.baton.client;

import io.baton.client.kafka.KafkaConnection;
import io.baton.events.Names;
import io.baton.events.TopicNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a {@link MasterFollower} reads, and how it connects. Build with {@link
 * #builder(String)}.
 *
 * <p>{@link #toString()} names the extra Kafka properties but never shows their values: they
 * typically hold keystore passwords and SASL JAAS configurations.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}
 * @param masterTopic the master topic, {@code baton.master} unless told otherwise
 * @param clusters the clusters to follow; empty means every cluster on the topic
 * @param kafkaProperties extra consumer properties (TLS, SASL, timeouts), applied over the
 *     follower's defaults; the settings the follower depends on cannot be overridden
 * @param groupId a consumer group used only to commit the follower's position, so operators
 *     can watch its lag with stock tools; the follower never reads it back and never joins the
 *     group (every instance reads every partition)
 * @param clientId Kafka's {@code client.id}
 */
public record FollowerOptions(
    String bootstrapServers,
    String masterTopic,
    Set<String> clusters,
    Map<String, String> kafkaProperties,
    Optional<String> groupId,
    String clientId) {

  public FollowerOptions {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrap servers are required");
    }
    if (masterTopic == null || masterTopic.isBlank()) {
      throw new IllegalArgumentException("the master topic name is required");
    }
    clusters = Set.copyOf(clusters);
    clusters.forEach(c -> Names.require("cluster", c));
    kafkaProperties = Map.copyOf(kafkaProperties);
    Objects.requireNonNull(groupId, "groupId");
    groupId.ifPresent(g -> {
      if (g.isBlank()) {
        throw new IllegalArgumentException("a consumer group id must not be blank");
      }
    });
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("the client id must not be blank");
    }
  }

  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  /** Options for the master topic of a Baton deployment, with its client properties. */
  public static Builder builder(KafkaConnection kafka) {
    return new Builder(kafka.bootstrapServers())
        .masterTopic(kafka.topics().master())
        .kafkaProperties(kafka.clientProperties());
  }

  /** Whether records of {@code cluster} are followed. */
  public boolean follows(String cluster) {
    return clusters.isEmpty() || clusters.contains(cluster);
  }

  @Override
  public String toString() {
    return "FollowerOptions[bootstrapServers=" + bootstrapServers + ", masterTopic=" + masterTopic
        + ", clusters=" + (clusters.isEmpty() ? "all" : new TreeSet<>(clusters))
        + ", kafkaProperties=" + new TreeSet<>(kafkaProperties.keySet()) + " (values hidden)"
        + ", groupId=" + groupId.orElse("none") + ", clientId=" + clientId + "]";
  }

  /** Builds {@link FollowerOptions}; only the bootstrap servers are required. */
  public static final class Builder {
    private final String bootstrapServers;
    private String masterTopic = TopicNames.defaults().master();
    private final Set<String> clusters = new TreeSet<>();
    private final Map<String, String> kafkaProperties = new LinkedHashMap<>();
    private Optional<String> groupId = Optional.empty();
    private Optional<String> clientId = Optional.empty();

    private Builder(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
    }

    /** Follows {@code <prefix>master}, e.g. {@code baton.master} for the default prefix. */
    public Builder topicPrefix(String prefix) {
      this.masterTopic = new TopicNames(prefix).master();
      return this;
    }

    /** Follows a master topic by its full name. */
    public Builder masterTopic(String topic) {
      this.masterTopic = topic;
      return this;
    }

    /** Follows only these clusters (call again to add more); by default every cluster. */
    public Builder clusters(Collection<String> names) {
      clusters.addAll(names);
      return this;
    }

    public Builder cluster(String name) {
      clusters.add(name);
      return this;
    }

    /** Extra Kafka consumer properties, e.g. {@code security.protocol} and SASL settings. */
    public Builder kafkaProperties(Map<String, String> properties) {
      kafkaProperties.putAll(properties);
      return this;
    }

    /**
     * Extra Kafka consumer properties read from a {@code .properties} file, the usual home of
     * TLS and SASL settings with their secrets.
     *
     * @throws UncheckedIOException naming the file when it cannot be read
     */
    public Builder kafkaPropertiesFile(Path file) {
      Properties properties = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        properties.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read Kafka client properties from " + file, e);
      }
      properties.stringPropertyNames()
          .forEach(name -> kafkaProperties.put(name, properties.getProperty(name)));
      return this;
    }

    /** Commits the follower's position under this group, for lag monitoring with stock tools. */
    public Builder groupId(String groupId) {
      this.groupId = Optional.of(groupId);
      return this;
    }

    /** Kafka's {@code client.id}; by default the group id, else {@code baton-follower}. */
    public Builder clientId(String clientId) {
      this.clientId = Optional.of(clientId);
      return this;
    }

    public FollowerOptions build() {
      return new FollowerOptions(bootstrapServers, masterTopic, clusters, kafkaProperties,
          groupId, clientId.orElse(groupId.orElse("baton-follower")));
    }
  }
}
