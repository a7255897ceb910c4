package io.baton.cli.events;

import io.baton.cli.Arguments;
import io.baton.cli.Command;
import io.baton.cli.ExitCode;
import io.baton.cli.Session;
import io.baton.cli.args.CommandSpec;
import io.baton.cli.args.OptionSpec;
import io.baton.cli.args.ParsedArguments;
import io.baton.cli.kafka.EventLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code baton events CLUSTER [--since 10m] [--follow]}. */
public final class EventsCommand implements Command {
  private static final CommandSpec SPEC = new CommandSpec(
      "events", "Show the coordinator's decisions about a cluster, one per line",
      List.of("CLUSTER"),
      List.of(
          OptionSpec.value("--since", "DURATION", "how far back to start, in broker time", "10m"),
          OptionSpec.flag("--follow", "keep printing new events until interrupted (Ctrl-C)")),
      """
      Each line: time (broker time, this machine's zone), the master epoch after the decision,
      the event type, the node it is about, the coordinator's sentence, and for answers to an
      operator request the request id and where it stands (accepted, completed, refused,
      failed).
      """);

  @Override
  public CommandSpec spec() {
    return SPEC;
  }

  @Override
  public ExitCode run(ParsedArguments args, Session session) {
    String cluster = Arguments.cluster(args);
    Duration since = Arguments.duration(args, "--since");
    boolean follow = args.flag("--follow");
    Instant from = session.clock().instant().minus(since);
    try (EventLog log = EventLog.open(session.kafka(args), cluster)) {
      log.read(from, follow, () -> Thread.currentThread().isInterrupted(),
          event -> {
            session.out().println(EventLine.render(event, session.times()));
            session.out().flush();
          });
    }
    return ExitCode.OK;
  }
}
