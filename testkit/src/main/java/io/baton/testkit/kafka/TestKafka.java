package io.baton.testkit.kafka;

import java.util.Optional;

/**
 * One Kafka for a whole test JVM, for tests that only need some broker: starting a broker per
 * test class would dominate the suite's time.
 *
 * <p>When the environment variable {@value #EXTERNAL_BOOTSTRAP_ENV} is set, its value is used
 * and nothing is started (to run the suite against an external cluster). Otherwise an {@link
 * EmbeddedKafka} is started on first use and closed by the test kit's shutdown hook. Tests
 * sharing it should use unique topic names and consumer groups.
 */
public final class TestKafka {
  public static final String EXTERNAL_BOOTSTRAP_ENV = "BATON_TEST_BOOTSTRAP_SERVERS";

  private static EmbeddedKafka shared;

  private TestKafka() {}

  public static synchronized String bootstrapServers() {
    Optional<String> external =
        Optional.ofNullable(System.getenv(EXTERNAL_BOOTSTRAP_ENV)).filter(s -> !s.isBlank());
    if (external.isPresent()) {
      return external.get();
    }
    if (shared == null) {
      // Closed by the ShutdownCleanup hook that every EmbeddedKafka registers.
      shared = EmbeddedKafka.start();
    }
    return shared.bootstrapServers();
  }
}
