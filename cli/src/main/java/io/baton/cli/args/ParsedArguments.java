package io.baton.cli.args;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command line as understood: the command (absent only with {@code --help} alone), its
 * positional arguments, and the options given, global ones included.
 */
public record ParsedArguments(
    Optional<CommandSpec> command, List<String> arguments, Map<String, List<String>> options,
    List<OptionSpec> globalOptions, boolean help) {

  public ParsedArguments {
    arguments = List.copyOf(arguments);
    options = Map.copyOf(options);
    globalOptions = List.copyOf(globalOptions);
  }

  public String argument(int index) {
    return arguments.get(index);
  }

  public boolean flag(String name) {
    return options.containsKey(name);
  }

  /** The option's value, else its default, else empty. */
  public Optional<String> value(String name) {
    List<String> given = options.get(name);
    if (given != null) {
      return Optional.of(given.get(0));
    }
    return spec(name).flatMap(OptionSpec::defaultValue);
  }

  /** Every argument an option of {@link OptionSpec#rest} kind took; empty when absent. */
  public List<String> rest(String name) {
    return options.getOrDefault(name, List.of());
  }

  private Optional<OptionSpec> spec(String name) {
    return command.flatMap(c -> c.option(name))
        .or(() -> globalOptions.stream().filter(o -> o.name().equals(name)).findFirst());
  }

  /** A usage error about this command line. */
  public UsageException usageError(String message) {
    return new UsageException(message, command);
  }
}
