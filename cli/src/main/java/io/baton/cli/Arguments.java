package io.baton.cli;

import io.baton.cli.args.ParsedArguments;
import io.baton.cli.text.Durations;
import io.baton.events.Names;
import java.time.Duration;
import java.util.Optional;

/** Checks of argument values shared by the commands; a bad value is a usage error. */
public final class Arguments {
  private Arguments() {}

  /** The CLUSTER argument, always the first. */
  public static String cluster(ParsedArguments args) {
    return name(args, "CLUSTER", args.argument(0));
  }

  public static Optional<String> node(ParsedArguments args, String option) {
    return args.value(option).map(value -> name(args, option, value));
  }

  /** A duration option; every duration option has a default. */
  public static Duration duration(ParsedArguments args, String option) {
    String text = args.value(option).orElseThrow();
    Duration duration = Durations.parse(text)
        .orElseThrow(() -> args.usageError(
            option + ": '" + text + "' is not a duration such as 30s, 10m or 1h30m"));
    if (duration.isZero()) {
      throw args.usageError(option + " must be longer than 0");
    }
    return duration;
  }

  private static String name(ParsedArguments args, String what, String value) {
    if (!Names.isValid(value)) {
      throw args.usageError(what + ": '" + value + "' is not a valid name (1 to 63 lowercase"
          + " letters, digits, '-' or '_', starting with a letter or digit)");
    }
    return value;
  }
}
