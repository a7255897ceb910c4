package io.baton.cli;

import io.baton.cli.args.OptionSpec;
import io.baton.events.TopicNames;
import java.util.List;

/** Options every command takes: how to reach Kafka and which topics are Baton's. */
public final class GlobalOptions {
  public static final String BOOTSTRAP_SERVERS = "--bootstrap-servers";
  public static final String TOPIC_PREFIX = "--topic-prefix";
  public static final String KAFKA_PROPERTIES = "--kafka-properties";

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
                + " (config.providers=env)"));
  }
}
