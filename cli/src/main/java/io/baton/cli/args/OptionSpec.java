package io.baton.cli.args;

import java.util.Optional;

/**
 * One {@code --option} of a command.
 *
 * @param name with its dashes, e.g. {@code --timeout}
 * @param valueName how the help names its value ({@code DURATION}); empty for a flag
 * @param help one line for {@code --help}
 * @param defaultValue shown in the help and used when the option is absent
 * @param rest the option takes every argument after it as its value (a command line to run)
 */
public record OptionSpec(
    String name, Optional<String> valueName, String help, Optional<String> defaultValue,
    boolean rest) {

  public static OptionSpec flag(String name, String help) {
    return new OptionSpec(name, Optional.empty(), help, Optional.empty(), false);
  }

  public static OptionSpec value(String name, String valueName, String help) {
    return new OptionSpec(name, Optional.of(valueName), help, Optional.empty(), false);
  }

  public static OptionSpec value(String name, String valueName, String help, String defaultValue) {
    return new OptionSpec(name, Optional.of(valueName), help, Optional.of(defaultValue), false);
  }

  /** An option that swallows the rest of the command line, e.g. a command and its arguments. */
  public static OptionSpec rest(String name, String valueName, String help) {
    return new OptionSpec(name, Optional.of(valueName), help, Optional.empty(), true);
  }

  public boolean takesValue() {
    return valueName.isPresent();
  }

  /** {@code --timeout DURATION}, as the usage line shows it. */
  public String synopsis() {
    return name + valueName.map(v -> " " + v + (rest ? " ..." : "")).orElse("");
  }
}
