package io.baton.cli;

import io.baton.cli.args.CommandSpec;
import io.baton.cli.args.ParsedArguments;

/** One {@code baton} command. */
public interface Command {
  CommandSpec spec();

  ExitCode run(ParsedArguments args, Session session);
}
