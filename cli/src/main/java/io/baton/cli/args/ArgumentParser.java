package io.baton.cli.args;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code baton [global options] COMMAND ARGUMENTS [options]}: options may come before or after
 * the command and its arguments, as {@code --name value} or {@code --name=value}. An option of
 * the {@link OptionSpec#rest} kind takes everything after it, so it comes last.
 */
public final class ArgumentParser {
  private final List<CommandSpec> commands;
  private final List<OptionSpec> globalOptions;

  public ArgumentParser(List<CommandSpec> commands, List<OptionSpec> globalOptions) {
    this.commands = List.copyOf(commands);
    this.globalOptions = List.copyOf(globalOptions);
  }

  public List<CommandSpec> commands() {
    return commands;
  }

  public List<OptionSpec> globalOptions() {
    return globalOptions;
  }

  public ParsedArguments parse(List<String> args) {
    Optional<CommandSpec> command = Optional.empty();
    List<String> positionals = new ArrayList<>();
    Map<String, List<String>> options = new LinkedHashMap<>();
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
      } else if (arg.startsWith("--")) {
        int equals = arg.indexOf('=');
        String name = equals < 0 ? arg : arg.substring(0, equals);
        OptionSpec spec = find(name, command).orElseThrow(() -> unknownOption(name, args));
        if (options.containsKey(name)) {
          throw new UsageException(name + " is given twice", command);
        }
        if (spec.rest()) {
          List<String> rest = new ArrayList<>();
          if (equals >= 0) {
            rest.add(arg.substring(equals + 1));
          }
          rest.addAll(args.subList(i + 1, args.size()));
          if (rest.isEmpty() || rest.get(0).isEmpty()) {
            throw new UsageException(name + " needs a " + spec.valueName().orElseThrow(), command);
          }
          options.put(name, List.copyOf(rest));
          break;
        }
        if (!spec.takesValue()) {
          if (equals >= 0) {
            throw new UsageException(name + " takes no value", command);
          }
          options.put(name, List.of());
        } else if (equals >= 0) {
          options.put(name, List.of(arg.substring(equals + 1)));
        } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
          options.put(name, List.of(args.get(++i)));
        } else {
          throw new UsageException(
              name + " needs a value (" + spec.valueName().orElseThrow() + ")", command);
        }
      } else if (arg.startsWith("-") && arg.length() > 1) {
        throw unknownOption(arg, args);
      } else if (command.isEmpty()) {
        command = Optional.of(command(arg));
      } else {
        positionals.add(arg);
      }
    }
    ParsedArguments parsed = new ParsedArguments(command, positionals, options, globalOptions, help);
    if (help) {
      return parsed;
    }
    CommandSpec spec = command.orElseThrow(() -> new UsageException("no command given"));
    if (positionals.size() < spec.arguments().size()) {
      throw new UsageException(
          "missing " + String.join(" ", spec.arguments().subList(positionals.size(), spec.arguments().size())),
          command);
    }
    if (positionals.size() > spec.arguments().size()) {
      throw new UsageException(
          "unexpected argument '" + positionals.get(spec.arguments().size()) + "'", command);
    }
    return parsed;
  }

  private CommandSpec command(String name) {
    return commands.stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new UsageException("unknown command '" + name + "'"));
  }

  private Optional<OptionSpec> find(String name, Optional<CommandSpec> command) {
    return command.flatMap(c -> c.option(name))
        .or(() -> globalOptions.stream().filter(o -> o.name().equals(name)).findFirst());
  }

  /** Names the command whose option it may be, so that the usage shown is the right one. */
  private UsageException unknownOption(String name, List<String> args) {
    Optional<CommandSpec> command = args.stream()
        .filter(a -> !a.startsWith("-"))
        .findFirst()
        .flatMap(first -> commands.stream().filter(c -> c.name().equals(first)).findFirst());
    return new UsageException("unknown option " + name, command);
  }
}
