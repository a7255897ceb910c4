package io.baton.cli.args;

import java.util.List;
import java.util.Optional;

/** The texts of {@code --help} and of usage errors. */
public final class Help {
  private Help() {}

  /** The help of one command, or the overview when no command is named. */
  public static String render(ArgumentParser parser, Optional<CommandSpec> command) {
    StringBuilder text = new StringBuilder();
    if (command.isEmpty()) {
      text.append("usage: baton [global options] COMMAND ARGUMENTS [options]\n\n")
          .append("Operates Baton-managed PostgreSQL clusters through Kafka.\n\ncommands:\n");
      int width = parser.commands().stream().mapToInt(c -> c.name().length()).max().orElse(0);
      for (CommandSpec c : parser.commands()) {
        text.append("  ").append(pad(c.name(), width)).append("  ").append(c.summary()).append('\n');
      }
      text.append("\nRun 'baton COMMAND --help' for a command's arguments and options.\n");
    } else {
      CommandSpec c = command.get();
      text.append("usage: ").append(c.usage()).append("\n\n").append(c.summary()).append(".\n");
      if (!c.description().isEmpty()) {
        text.append('\n').append(c.description().strip()).append('\n');
      }
      if (!c.options().isEmpty()) {
        text.append("\noptions:\n").append(options(c.options()));
      }
    }
    text.append("\nglobal options:\n").append(options(parser.globalOptions()));
    text.append("\nexit status: 0 done, 1 refused or failed, 3 timed out, 64 usage error,"
        + " 69 Kafka unavailable\n");
    return text.toString();
  }

  /** The lines printed with a usage error. */
  public static String usageError(UsageException error) {
    String usage = error.command()
        .map(c -> "usage: " + c.usage() + "\nRun 'baton " + c.name() + " --help' for more.")
        .orElse("usage: baton [global options] COMMAND ARGUMENTS [options]\n"
            + "Run 'baton --help' for the commands.");
    return "baton: " + error.getMessage() + "\n" + usage + "\n";
  }

  private static String options(List<OptionSpec> options) {
    int width = options.stream().mapToInt(o -> o.synopsis().length()).max().orElse(0);
    StringBuilder text = new StringBuilder();
    for (OptionSpec o : options) {
      text.append("  ").append(pad(o.synopsis(), width)).append("  ").append(o.help())
          .append(o.defaultValue().map(d -> " (default " + d + ")").orElse(""))
          .append('\n');
    }
    return text.toString();
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(Math.max(0, width - text.length()));
  }
}
