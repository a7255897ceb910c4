package io.baton.cli.args;

import java.util.Optional;

/** The command line cannot be understood; the CLI prints the message and the usage, exit 64. */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Optional<CommandSpec> command;

  public UsageException(String message, Optional<CommandSpec> command) {
    super(message);
    this.command = command;
  }

  public UsageException(String message) {
    this(message, Optional.empty());
  }

  /** The command whose usage to show, when the command itself was recognised. */
  public Optional<CommandSpec> command() {
    return command;
  }
}
