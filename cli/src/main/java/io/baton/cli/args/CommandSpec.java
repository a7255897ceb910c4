package io.baton.cli.args;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A command: its name, its positional arguments (all required, in order) and its options.
 *
 * @param arguments names of the positional arguments as the usage shows them ({@code CLUSTER})
 * @param description a few lines for {@code --help}
 */
public record CommandSpec(
    String name, String summary, List<String> arguments, List<OptionSpec> options,
    String description) {

  public CommandSpec {
    arguments = List.copyOf(arguments);
    options = List.copyOf(options);
  }

  public Optional<OptionSpec> option(String optionName) {
    return options.stream().filter(o -> o.name().equals(optionName)).findFirst();
  }

  /** {@code baton switchover CLUSTER [--to NODE] [--timeout DURATION]}. */
  public String usage() {
    String args = arguments.isEmpty() ? "" : " " + String.join(" ", arguments);
    String opts = options.stream().map(o -> " [" + o.synopsis() + "]").collect(Collectors.joining());
    return "baton " + name + args + opts;
  }
}
