package io.baton.cli;

import io.baton.cli.args.OptionSpec;
import io.baton.events.TopicNames;
import java.util.List;

/**
 * Options every command takes: how to reach Kafka, which topics are Baton's, and who signs
 * requests and enrollments.
 */
public final class GlobalOptions {
  public static final String BOOTSTRAP_SERVERS = "--bootstrap-servers";
  public static final String TOPIC_PREFIX = "--topic-prefix";
  public static final String KAFKA_PROPERTIES = "--kafka-properties";
  public static final String OPERATOR = "--operator";
  public static final String OPERATOR_KEY = "--operator-key";

  private GlobalOptions() {}

  public static List<OptionSpec> all() {
    return List.of(
        OptionSpec.value(BOOTSTRAP_SERVERS, "HOST:PORT,...",
            "Kafka's bootstrap servers (default: $" + Session.BOOTSTRAP_ENV + ", else "
                + Session.DEFAULT_BOOTSTRAP + ")"),
        OptionSpec.value(TOPIC_PREFIX, "PREFIX", "prefix of Baton's topic names",
            TopicNames.DEFAULT_PREFIX),
        OptionSpec.value(KAFKA_PROPERTIES, "FILE",
            "Kafka client properties (TLS, SASL); secrets stay in the file or the environment"
                + " (config.providers=env)"),
        OptionSpec.value(OPERATOR, "NAME",
            "the operator who signs requests and enrollments, as the coordinator's operator keys"
                + " file names them (default: $" + Session.OPERATOR_ENV + ", else the user)"),
        OptionSpec.value(OPERATOR_KEY, "FILE",
            "that operator's Ed25519 private key (default: $" + Session.OPERATOR_KEY_ENV
                + ", else ~/" + Session.DEFAULT_OPERATOR_KEY + ")"));
  }
}
