package io.baton.coordinator.topology;

import io.baton.coordinator.cluster.ClusterState;
import io.baton.coordinator.cluster.ClusterStateCodec;
import io.baton.coordinator.decision.Decider;
import io.baton.coordinator.clock.LivenessClock;
import io.baton.coordinator.trust.TrustSettings;
import io.baton.events.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * heartbeats + requests (both keyed by cluster, so one cluster's inputs share one ordered
 * partition and one task) -> decide (verifies the record, reads the cluster's state and the
 * partition's liveness clock, calls the decider, stores the new state) -> assignments, master,
 * events, dead letters. Enrollments are a global store: every task sees every node's enrolled
 * key and address, kept exactly as the compacted topic holds them (verified where they are used,
 * so restoring the store from the topic and processing it are the same thing).
 */
public final class CoordinatorTopology {
  public static final String STORE = "cluster-state";
  public static final String CLOCK_STORE = "liveness-clock";
  public static final String ENROLLMENTS_STORE = "enrollments";
  static final String DECIDE = "decide";
  static final String ASSIGNMENTS = "assignments";
  static final String MASTER = "master";
  static final String EVENTS = "events";
  static final String DEAD_LETTERS = "dead-letters";

  private CoordinatorTopology() {}

  public static Topology build(
      TopicNames topics, Decider decider, Duration clockMaxStep, TrustSettings trust) {
    Topology topology = new Topology();
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ENROLLMENTS_STORE), Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled(),
        "enrollments-source", new StringDeserializer(), new ByteArrayDeserializer(),
        topics.enrollments(), "enrollments-keeper", EnrollmentKeeper::new);
    topology.addSource(
        "heartbeats", new StringDeserializer(), new ByteArrayDeserializer(), topics.heartbeats());
    topology.addSource(
        "requests", new StringDeserializer(), new ByteArrayDeserializer(), topics.requests());
    topology.addProcessor(
        DECIDE, () -> new ClusterProcessor(topics, decider, clockMaxStep, trust),
        "heartbeats", "requests");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STORE), Serdes.String(), stateSerde())
            .withCachingDisabled(),
        DECIDE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CLOCK_STORE), Serdes.String(), clockSerde())
            .withCachingDisabled(),
        DECIDE);
    topology.addSink(ASSIGNMENTS, topics.assignments(), new StringSerializer(), new ByteArraySerializer(), DECIDE);
    topology.addSink(MASTER, topics.master(), new StringSerializer(), new ByteArraySerializer(), DECIDE);
    topology.addSink(EVENTS, topics.events(), new StringSerializer(), new ByteArraySerializer(), DECIDE);
    topology.addSink(
        DEAD_LETTERS, topics.deadLetters(), new StringSerializer(), new ByteArraySerializer(), DECIDE);
    return topology;
  }

  /** Three numbers: the clock's reading, the last append time, and what was left out, in ms. */
  static Serde<LivenessClock> clockSerde() {
    return Serdes.serdeFrom(
        (topic, clock) -> clock == null
            ? null
            : (clock.now().toEpochMilli() + "," + clock.lastAppend().toEpochMilli() + ","
                + clock.uncounted().toMillis()).getBytes(StandardCharsets.US_ASCII),
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          String[] parts = new String(bytes, StandardCharsets.US_ASCII).split(",");
          return new LivenessClock(
              Instant.ofEpochMilli(Long.parseLong(parts[0])),
              Instant.ofEpochMilli(Long.parseLong(parts[1])),
              Duration.ofMillis(Long.parseLong(parts[2])));
        });
  }

  static Serde<ClusterState> stateSerde() {
    return Serdes.serdeFrom(
        (topic, state) -> state == null ? null : ClusterStateCodec.write(state),
        (topic, bytes) -> bytes == null ? null : ClusterStateCodec.read(bytes));
  }
}
