package io.baton.cli.status;

import io.baton.cli.Arguments;
import io.baton.cli.Command;
import io.baton.cli.ExitCode;
import io.baton.cli.Session;
import io.baton.cli.args.CommandSpec;
import io.baton.cli.args.OptionSpec;
import io.baton.cli.args.ParsedArguments;
import io.baton.cli.cluster.ClusterView;
import io.baton.cli.cluster.Maintenance;
import io.baton.cli.kafka.ClusterTail;
import io.baton.cli.kafka.EventLog;
import io.baton.cli.kafka.KafkaAccess;
import java.time.Instant;
import java.util.List;

/** {@code baton status CLUSTER [--json]}: from Kafka alone, so it works without a coordinator. */
public final class StatusCommand implements Command {
  private static final CommandSpec SPEC = new CommandSpec(
      "status", "Show the master and every node's latest heartbeat", List.of("CLUSTER"),
      List.of(OptionSpec.flag("--json", "print the same as JSON")),
      """
      Reads Kafka only (the master, heartbeats, assignments and events topics), so it also works
      while the coordinator is down. Lag is the master's WAL position minus the node's, each from
      its latest heartbeat. Flags: leaving (going away, never a candidate), fenced (stopped itself
      after losing Kafka), no-failover, silent (no heartbeat for over 5s), unexpected-primary
      (writable but not the master).
      """);

  @Override
  public CommandSpec spec() {
    return SPEC;
  }

  @Override
  public ExitCode run(ParsedArguments args, Session session) {
    String cluster = Arguments.cluster(args);
    KafkaAccess kafka = session.kafka(args);
    Instant now = session.clock().instant();
    ClusterView view;
    try (ClusterTail tail = ClusterTail.open(kafka, cluster, ClusterTail.WINDOW, now);
        EventLog events = EventLog.open(kafka, cluster)) {
      Maintenance maintenance = events.maintenance();
      view = tail.view(maintenance, session.clock().instant());
      if (tail.malformedRecords() > 0) {
        session.err().println("baton: skipped " + tail.malformedRecords()
            + " malformed record(s) of cluster " + cluster);
      }
    }
    StatusReport report = StatusReport.of(view);
    if (args.flag("--json")) {
      session.out().print(StatusJson.render(report));
    } else {
      session.out().print(StatusTable.render(report, session.times()));
    }
    if (report.master().isEmpty() && report.nodes().isEmpty()) {
      session.err().println("baton: nothing is known about cluster " + cluster
          + " (no master record, no assignment, no heartbeat in the last minute)");
      return ExitCode.FAILED;
    }
    return ExitCode.OK;
  }
}
