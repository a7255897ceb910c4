package io.baton.coordinator;

import io.baton.client.kafka.KafkaConnection;
import io.baton.coordinator.cluster.ClusterFloor;
import io.baton.coordinator.cluster.ClusterState;
import io.baton.coordinator.config.CoordinatorConfig;
import io.baton.runtime.KafkaConfig;
import io.baton.coordinator.config.TopicsConfig;
import io.baton.coordinator.decision.Decider;
import io.baton.coordinator.decision.TransitionTable;
import io.baton.coordinator.topology.ClockTicker;
import io.baton.coordinator.topology.CoordinatorTopology;
import io.baton.coordinator.topology.PublishedFloors;
import io.baton.coordinator.topology.TopicSetup;
import io.baton.client.keys.OperatorKey;
import io.baton.coordinator.trust.OperatorKeys;
import io.baton.coordinator.trust.TrustSettings;
import io.baton.events.signing.Ed25519;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Set;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the coordinator: checks the topics, starts the Streams application and the broker-time
 * clock. Created eagerly at start, so a misconfigured topic or an unreachable Kafka stops the
 * process with the reason, rather than leaving it up and deciding nothing.
 */
@Context
public final class CoordinatorService {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorService.class);

  private final KafkaStreams streams;
  private final ClockTicker ticker;
  private final OperatorKey httpRequestKey;

  public CoordinatorService(CoordinatorConfig config, KafkaConfig kafkaConfig, TopicsConfig topics) {
    KafkaConnection kafka = kafkaConfig.connection();
    LOG.info(
        "coordinator {} starting: {}, failover-after {}, fencing margin {}, tick {}, commit {}",
        config.instanceId(), kafka.describe(), config.failoverAfter(), config.fencingMargin(),
        config.tickInterval(), config.commitInterval());
    int partitions;
    try (Admin admin = Admin.create(kafka.properties())) {
      partitions =
          TopicSetup.ensure(
              admin, kafka.topics(),
              new TopicSetup.Spec(
                  topics.partitions(), topics.replicationFactor(), topics.heartbeatRetention(),
                  topics.requestRetention(), topics.eventsRetention()));
    }
    httpRequestKey = httpRequestKey(config);
    TrustSettings trust = trust(config, httpRequestKey);
    Map<String, ClusterFloor> floors = PublishedFloors.read(kafka, Duration.ofSeconds(60));
    Decider decider =
        new Decider(config.policy(), cluster -> floors.getOrDefault(cluster, ClusterFloor.NONE));
    streams =
        new KafkaStreams(
            CoordinatorTopology.build(kafka.topics(), decider, config.clockMaxStep(), trust),
            streamsProperties(config, kafka));
    streams.setUncaughtExceptionHandler(
        error -> {
          LOG.error("a coordinator stream thread failed; replacing it", error);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.setStateListener(
        (now, before) -> LOG.info("coordinator streams {} -> {}", before, now));
    streams.start();
    ticker = new ClockTicker(kafka.properties(), "coordinator/" + config.instanceId());
    ticker.start(kafka.topics().heartbeats(), partitions, config.tickInterval());
    LOG.info("coordinator {} deciding with {} transitions", config.instanceId(), TransitionTable.ROWS.size());
  }

  /** The key the HTTP API signs its requests with: configured, or made for this process. */
  private static OperatorKey httpRequestKey(CoordinatorConfig config) {
    return config.httpRequestKeyFile()
        .map(file -> OperatorKey.load(config.httpRequestOperator(), file))
        .orElseGet(() -> {
          LOG.info("the HTTP API signs its requests as operator {} with a key made for this"
              + " process (baton.coordinator.http-request-key-file unset): with several coordinator"
              + " instances, give them one key file", config.httpRequestOperator());
          return new OperatorKey(config.httpRequestOperator(), Ed25519.generate().getPrivate());
        });
  }

  /** The operators file, plus the HTTP API's key, and the clusters not yet verified. */
  private static TrustSettings trust(CoordinatorConfig config, OperatorKey api) {
    OperatorKeys operators = config.operatorKeysFile().map(file -> {
      try {
        return OperatorKeys.parse(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read baton.coordinator.operator-keys-file " + file, e);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(
            "baton.coordinator.operator-keys-file " + file + ": " + e.getMessage());
      }
    }).orElseGet(OperatorKeys::none);
    if (operators.operators().isEmpty()) {
      LOG.warn("no operator keys (baton.coordinator.operator-keys-file): only requests of the"
          + " HTTP API will be believed, and no enrollment");
    }
    try {
      operators = operators.with(new OperatorKeys.Operator(
          api.operator(), Ed25519.publicKeyOf(api.key()), Optional.empty()));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("baton.coordinator.http-request-operator " + api.operator()
          + " is also in the operator keys file: give the HTTP API a name of its own");
    }
    LOG.info("operators whose signatures count: {}", operators.operators().values().stream()
        .map(OperatorKeys.Operator::describe).sorted().toList());
    TrustSettings trust =
        new TrustSettings(operators, Set.copyOf(config.unverifiedClusters().orElse(List.of())));
    if (!trust.unverifiedClusters().isEmpty()) {
      LOG.warn("UNVERIFIED CLUSTERS {}: heartbeats of their nodes that are not enrolled are"
          + " believed without a signature, so anyone who can write the heartbeats topic can move"
          + " their primary. Enroll every node (baton enroll), then remove them from"
          + " baton.coordinator.unverified-clusters", new java.util.TreeSet<>(trust.unverifiedClusters()));
    }
    return trust;
  }

  /** The HTTP API's signing key: its requests go through Kafka as this operator's. */
  public OperatorKey httpRequestKey() {
    return httpRequestKey;
  }

  private static Properties streamsProperties(CoordinatorConfig config, KafkaConnection kafka) {
    Properties props = kafka.properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(config.commitInterval().toMillis()));
    // A decision becomes visible when its transaction commits, and Streams looks at the commit
    // interval only between polls: with the default 100 ms poll a decision made after a quiet
    // spell waited up to 100 ms for the next input record before it was committed.
    props.put(StreamsConfig.POLL_MS_CONFIG, Long.toString(config.commitInterval().toMillis()));
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDirectory().toString());
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), config.instanceId());
    // With static membership a crashed instance is replaced by its restart at once; this only
    // bounds how long partitions of an instance that never returns stay unowned.
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "10000");
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "0");
    // The topology has no global stores; without this Streams warns at every start.
    props.put("processing.exception.handler.global.enabled", "true");
    return props;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** The cluster's state, if this instance owns its partition. */
  public Optional<ClusterState> cluster(String name) {
    return store().map(store -> store.get(name));
  }

  public List<ClusterState> clusters() {
    List<ClusterState> all = new ArrayList<>();
    store().ifPresent(store -> {
      try (KeyValueIterator<String, ClusterState> it = store.all()) {
        it.forEachRemaining(entry -> all.add(entry.value));
      }
    });
    return all;
  }

  private Optional<ReadOnlyKeyValueStore<String, ClusterState>> store() {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return Optional.empty();
    }
    return Optional.of(
        streams.store(
            StoreQueryParameters.fromNameAndType(
                CoordinatorTopology.STORE, QueryableStoreTypes.<String, ClusterState>keyValueStore())));
  }

  @PreDestroy
  void stop() {
    LOG.info("coordinator stopping");
    ticker.close();
    streams.close(CloseOptions.timeout(Duration.ofSeconds(10)));
  }
}
