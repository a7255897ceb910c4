package io.baton.cli;

import io.baton.cli.args.ParsedArguments;
import io.baton.cli.args.UsageException;
import io.baton.cli.kafka.KafkaAccess;
import io.baton.cli.text.Times;
import io.baton.client.apiaccess.ApiAccess;
import io.baton.client.kafka.KafkaConnection;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What one run of the CLI works with: where to print, the environment, the clock, and the Kafka
 * connection the global options describe.
 *
 * @param requestedBy who the coordinator's events will say asked: {@code cli:user@host}
 */
public record Session(
    PrintStream out, PrintStream err, Map<String, String> environment, Clock clock, Times times,
    String requestedBy) {

  public static final String BOOTSTRAP_ENV = "BATON_KAFKA_BOOTSTRAP_SERVERS";
  public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

  /** The Kafka connection of the global options; a bad option is a usage error. */
  public KafkaAccess kafka(ParsedArguments args) {
    String bootstrap = args.value(GlobalOptions.BOOTSTRAP_SERVERS)
        .or(() -> Optional.ofNullable(environment.get(BOOTSTRAP_ENV)).filter(s -> !s.isBlank()))
        .orElse(DEFAULT_BOOTSTRAP);
    String prefix = args.value(GlobalOptions.TOPIC_PREFIX).orElseThrow();
    Optional<Path> properties = args.value(GlobalOptions.KAFKA_PROPERTIES).map(Path::of);
    if (properties.filter(p -> !Files.isReadable(p)).isPresent()) {
      throw new UsageException("cannot read the Kafka properties file " + properties.get());
    }
    try {
      return new KafkaAccess(KafkaConnection.of(bootstrap, prefix, properties));
    } catch (IllegalArgumentException e) {
      throw new UsageException(GlobalOptions.TOPIC_PREFIX + ": " + e.getMessage());
    }
  }

  /**
   * The token and certificate authorities for the agents' APIs, from {@code BATON_API_TOKEN_FILE}
   * and {@code BATON_API_CA_FILE}; an unreadable or unfit token is a usage error.
   */
  public ApiAccess apiAccess() {
    try {
      return ApiAccess.fromEnvironment(environment);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
