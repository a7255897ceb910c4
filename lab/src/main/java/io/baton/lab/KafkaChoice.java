package io.baton.lab;

/** Which Kafka a lab runs on. */
sealed interface KafkaChoice {
  /**
   * One broker inside the test JVM ({@link io.baton.testkit.kafka.EmbeddedKafka}): the default,
   * and the quickest to start.
   */
  record InProcess() implements KafkaChoice {}

  /** A cluster run by someone else; agents in network namespaces cannot reach it. */
  record External(String bootstrapServers) implements KafkaChoice {
    public External {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("bootstrap servers must not be blank");
      }
    }
  }

  /**
   * Brokers in their own JVMs ({@link io.baton.testkit.kafka.KafkaBrokers}), so a test can pause,
   * kill and restart them; 1 or 3. With {@code skewableClocks}, libfaketime is preloaded into
   * each so a test can also skew its wall clock.
   */
  record ChildJvms(int brokers, boolean skewableClocks) implements KafkaChoice {
    public ChildJvms {
      // Refused here already, not only when the lab starts.
      io.baton.testkit.kafka.KafkaBrokers.Options.brokers(brokers);
    }
  }
}
