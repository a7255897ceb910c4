package io.baton.benchmark;

import io.baton.lab.Lab;

/** The deployments the scenarios need, all at Baton's default settings. */
public enum LabKind {
  /** Asynchronous replication, every node on loopback. */
  ASYNC("3 nodes, asynchronous replication"),
  /** Synchronous replication ({@code replication-mode: sync}), every node on loopback. */
  SYNC("3 nodes, synchronous replication"),
  /** Asynchronous replication, each node (agent and PostgreSQL) in its own network namespace. */
  NAMESPACES("3 nodes in network namespaces, asynchronous replication"),
  /** Asynchronous replication, Kafka one broker in its own JVM, to pause and restart. */
  KAFKA_BROKER("3 nodes, asynchronous replication, Kafka in its own JVM");

  /** The cluster's name in every lab. */
  public static final String CLUSTER = "bench";

  private final String description;

  LabKind(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  Lab start() {
    Lab.Builder builder = Lab.builder().cluster(CLUSTER);
    switch (this) {
      case SYNC -> builder.coordinatorSetting("baton.coordinator.replication-mode", "sync");
      case NAMESPACES -> builder.inNamespaces();
      case KAFKA_BROKER -> builder.kafkaBrokers(1);
      case ASYNC -> { }
    }
    return builder.start();
  }
}
