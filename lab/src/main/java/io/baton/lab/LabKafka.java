package io.baton.lab;

import io.baton.testkit.kafka.EmbeddedKafka;
import io.baton.testkit.kafka.KafkaBrokers;
import java.util.Optional;

/**
 * The Kafka of a running lab, started as its {@link KafkaChoice} says. Agents in network
 * namespaces reach it through the network lab's bridge, where the lab's own brokers get an extra
 * listener; everything else uses the loopback listeners.
 *
 * <p>Nothing here sets a replication factor: Baton's coordinator picks its topics' factor from the
 * number of brokers it finds, as in production.
 */
final class LabKafka implements AutoCloseable {
  private final String bootstrapServers;
  private final String agentBootstrapServers;
  private final Optional<KafkaBrokers> brokers;
  private final Optional<AutoCloseable> owned;

  private LabKafka(String bootstrapServers, String agentBootstrapServers,
      Optional<KafkaBrokers> brokers, Optional<AutoCloseable> owned) {
    this.bootstrapServers = bootstrapServers;
    this.agentBootstrapServers = agentBootstrapServers;
    this.brokers = brokers;
    this.owned = owned;
  }

  /**
   * Starts the chosen Kafka, if the lab owns it.
   *
   * @param bridgeAddress where agents in network namespaces connect, if they live in any
   */
  static LabKafka start(KafkaChoice choice, Optional<String> bridgeAddress) {
    if (choice instanceof KafkaChoice.External external) {
      if (bridgeAddress.isPresent()) {
        throw new IllegalArgumentException("agents in network namespaces reach Kafka through the"
            + " lab's bridge, where an external cluster does not listen: run the lab's own"
            + " broker (the default) or kafkaBrokers(n)");
      }
      return new LabKafka(external.bootstrapServers(), external.bootstrapServers(),
          Optional.empty(), Optional.empty());
    }
    if (choice instanceof KafkaChoice.ChildJvms jvms) {
      KafkaBrokers.Options options = KafkaBrokers.Options.brokers(jvms.brokers());
      if (jvms.skewableClocks()) {
        options = options.withSkewableClocks();
      }
      if (bridgeAddress.isPresent()) {
        options = options.withExtraListener(bridgeAddress.get());
      }
      KafkaBrokers kafka = KafkaBrokers.start(options);
      return new LabKafka(kafka.bootstrapServers(),
          bridgeAddress.map(kafka::bootstrapServersFor).orElse(kafka.bootstrapServers()),
          Optional.of(kafka), Optional.of(kafka));
    }
    EmbeddedKafka.Options options = bridgeAddress
        .map(EmbeddedKafka.Options.defaults()::withExtraListener)
        .orElse(EmbeddedKafka.Options.defaults());
    EmbeddedKafka kafka = EmbeddedKafka.start(options);
    return new LabKafka(kafka.bootstrapServers(),
        bridgeAddress.map(kafka::bootstrapServersFor).orElse(kafka.bootstrapServers()),
        Optional.empty(), Optional.of(kafka));
  }

  /** Reachable from this JVM. */
  String bootstrapServers() {
    return bootstrapServers;
  }

  /** Reachable from the agents, in network namespaces or not. */
  String agentBootstrapServers() {
    return agentBootstrapServers;
  }

  Optional<KafkaBrokers> brokers() {
    return brokers;
  }

  /** Stops Kafka if the lab started it. */
  @Override
  public void close() {
    if (owned.isPresent()) {
      try {
        owned.get().close();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop the lab's Kafka", e);
      }
    }
  }
}
