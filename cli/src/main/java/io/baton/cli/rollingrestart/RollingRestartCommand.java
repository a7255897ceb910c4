package io.baton.cli.rollingrestart;

import io.baton.cli.Arguments;
import io.baton.cli.Command;
import io.baton.cli.ExitCode;
import io.baton.cli.Session;
import io.baton.cli.args.CommandSpec;
import io.baton.cli.args.OptionSpec;
import io.baton.cli.args.ParsedArguments;
import java.util.List;

/** {@code baton rolling-restart CLUSTER [--catch-up-timeout 5m] [--timeout 10m] [--restart-command CMD ...]}. */
public final class RollingRestartCommand implements Command {
  private static final CommandSpec SPEC = new CommandSpec(
      "rolling-restart", "Restart every node with a single switchover", List.of("CLUSTER"),
      List.of(
          OptionSpec.value("--catch-up-timeout", "DURATION",
              "per node: how long it may take to come back and catch up", "5m"),
          OptionSpec.value("--timeout", "DURATION", "the whole rolling restart", "10m"),
          OptionSpec.rest("--restart-command", "CMD",
              "restart a node by running CMD with its arguments (everything after this option;"
                  + " no shell) instead of POST <agent>/restart")),
      """
      Restarts the standbys one at a time, each time waiting until the node is back, streaming
      from the master, with WAL received and replayed up to the master's position when its
      restart began (read from heartbeats). Then switches over once, to a restarted standby,
      and restarts the old primary the same way. The primary moves exactly once.

      Refused at once when the cluster is not healthy enough: no master, a node not streaming
      from it or silent, or maintenance mode. Stops at the first step that fails and says what
      state the cluster is left in.

      The restart command runs with BATON_CLUSTER, BATON_NODE, BATON_HOST, BATON_PORT and
      BATON_AGENT_URL set, and must return 0 once the node has been restarted, e.g. after
      installing new PostgreSQL minor binaries:
        baton rolling-restart main --restart-command /usr/local/bin/upgrade-node 15.8

      POST <agent>/restart presents the operator token in the file BATON_API_TOKEN_FILE names
      and trusts the certificates in BATON_API_CA_FILE for https agents.
      """);

  @Override
  public CommandSpec spec() {
    return SPEC;
  }

  @Override
  public ExitCode run(ParsedArguments args, Session session) {
    String cluster = Arguments.cluster(args);
    RollingRestart.Limits limits = new RollingRestart.Limits(
        Arguments.duration(args, "--catch-up-timeout"), Arguments.duration(args, "--timeout"));
    List<String> command = args.rest("--restart-command");
    RestartHook hook = command.isEmpty()
        ? new AgentApiRestart(session.apiAccess())
        : new CommandRestart(command, session.out());
    return new RollingRestart(
        cluster, session.kafka(args), hook, session.operatorKey(args), limits, session.out(),
        session.clock(), session.times()).run();
  }
}
