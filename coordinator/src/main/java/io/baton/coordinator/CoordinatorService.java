package io.baton.coordinator;

import io.baton.client.kafka.KafkaConnection;
import io.baton.coordinator.cluster.ClusterFloor;
import io.baton.coordinator.cluster.ClusterState;
import io.baton.coordinator.config.CoordinatorConfig;
import io.baton.runtime.KafkaSettings;
import io.baton.coordinator.config.TopicsConfig;
import io.baton.coordinator.decision.Decider;
import io.baton.coordinator.decision.TransitionTable;
import io.baton.coordinator.topology.ClockTicker;
import io.baton.coordinator.topology.CoordinatorTopology;
import io.baton.coordinator.topology.PublishedFloors;
import io.baton.coordinator.topology.TopicSetup;
import io.micronaut.context.annotation.Context;
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

  public CoordinatorService(CoordinatorConfig config, KafkaSettings kafkaConfig, TopicsConfig topics) {
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
    Map<String, ClusterFloor> floors = PublishedFloors.read(kafka, Duration.ofSeconds(60));
    Decider decider =
        new Decider(config.policy(), cluster -> floors.getOrDefault(cluster, ClusterFloor.NONE));
    streams =
        new KafkaStreams(CoordinatorTopology.build(kafka.topics(), decider, config.clockMaxStep()), streamsProperties(config, kafka));
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
