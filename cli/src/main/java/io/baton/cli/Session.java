package io.baton.cli;

import io.baton.cli.args.ParsedArguments;
import io.baton.cli.args.UsageException;
import io.baton.cli.kafka.KafkaAccess;
import io.baton.cli.text.Times;
import io.baton.client.apiaccess.ApiAccess;
import io.baton.client.kafka.KafkaConnection;
import io.baton.client.keys.KeyFiles;
import io.baton.client.keys.OperatorKey;
import io.baton.events.Names;
import io.baton.events.Printable;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What one run of the CLI works with: where to print, the environment, the clock, the Kafka
 * connection and the operator key the global options describe.
 *
 * @param user the OS user running the CLI: the operator name when none is given
 */
public record Session(
    PrintStream out, PrintStream err, Map<String, String> environment, Clock clock, Times times,
    String user) {

  public static final String BOOTSTRAP_ENV = "BATON_KAFKA_BOOTSTRAP_SERVERS";
  public static final String DEFAULT_BOOTSTRAP = "localhost:9092";
  public static final String OPERATOR_ENV = "BATON_OPERATOR";
  public static final String OPERATOR_KEY_ENV = "BATON_OPERATOR_KEY_FILE";
  /** Under the user's home directory. */
  public static final String DEFAULT_OPERATOR_KEY = ".config/baton/operator.key";

  /** The operator the global options name: {@code --operator}, $BATON_OPERATOR, else the user. */
  public String operator(ParsedArguments args) {
    String name = args.value(GlobalOptions.OPERATOR)
        .or(() -> Optional.ofNullable(environment.get(OPERATOR_ENV)).filter(s -> !s.isBlank()))
        .orElse(user);
    if (!Names.isValid(name)) {
      throw new UsageException(GlobalOptions.OPERATOR + ": '" + Printable.escape(name)
          + "' is not a valid operator name (1 to 63 lowercase letters, digits, '-' or '_')");
    }
    return name;
  }

  /** Where the operator's private key is: {@code --operator-key}, $BATON_OPERATOR_KEY_FILE, else the default. */
  public Path operatorKeyFile(ParsedArguments args) {
    return args.value(GlobalOptions.OPERATOR_KEY)
        .or(() -> Optional.ofNullable(environment.get(OPERATOR_KEY_ENV)).filter(s -> !s.isBlank()))
        .map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("user.home"), DEFAULT_OPERATOR_KEY));
  }

  /** The key requests and enrollments are signed with; a key that cannot be used is a usage error. */
  public OperatorKey operatorKey(ParsedArguments args) {
    Path file = operatorKeyFile(args);
    try {
      return OperatorKey.load(operator(args), file);
    } catch (KeyFiles.KeyFileException | java.io.UncheckedIOException e) {
      throw new UsageException(e.getMessage() + " (requests and enrollments are signed with an"
          + " operator key: make one with 'baton create-operator-key', name it with "
          + GlobalOptions.OPERATOR_KEY + " or $" + OPERATOR_KEY_ENV + ")");
    }
  }

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
