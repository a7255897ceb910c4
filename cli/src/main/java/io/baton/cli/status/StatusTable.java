package io.baton.cli.status;

import io.baton.cli.text.Durations;
import io.baton.cli.text.Table;
import io.baton.cli.text.Times;
import io.baton.events.Amounts;
import io.baton.events.ClusterEvent;
import io.baton.events.MasterRecord;
import io.baton.events.Printable;
import java.time.Duration;
import java.util.List;

/** {@code baton status} for a person: who is master and why, then one line per node. */
public final class StatusTable {
  private StatusTable() {}

  public static String render(StatusReport report, Times times) {
    StringBuilder text = new StringBuilder();
    text.append("Cluster ").append(report.cluster()).append(": ");
    if (report.master().isEmpty()) {
      text.append("no master record (no primary was ever published for this cluster)\n");
    } else {
      MasterRecord m = report.master().get();
      text.append("master ").append(m.node()).append(" (").append(m.host()).append(':').append(m.port())
          .append("), epoch ").append(m.epoch()).append(", timeline ").append(m.timeline())
          .append(", since ").append(times.full(m.since())).append(" (")
          .append(Durations.format(Duration.between(m.since(), report.observedAt()))).append(" ago)\n")
          .append("  why: ").append(Printable.escape(m.reason())).append('\n');
    }
    text.append("Maintenance: ").append(report.maintenance());
    report.maintenanceChange().map(ClusterEvent::at)
        .ifPresent(at -> text.append(" (since ").append(times.full(at)).append(')'));
    text.append("   Synchronous standbys: ")
        .append(report.synchronousStandbyNames()
            .map(names -> names.isEmpty() ? "none (asynchronous)" : Printable.escape(names))
            .orElse("unknown"))
        .append("\n\n");
    if (report.nodes().isEmpty()) {
      return text.append("No node has sent a heartbeat in the last minute, and none has an assignment.\n")
          .toString();
    }
    Table table = new Table(List.of(
        "Node", "Host:Port", "Role", "Health", "TLI: LSN", "Lag", "Replication",
        "Goal / Convergence", "Heartbeat", "Flags", "Detail"));
    for (NodeStatus node : report.nodes()) {
      table.row(List.of(
          node.name(),
          node.host().map(h -> h + ":" + node.port().orElse(0)).orElse("-"),
          node.role(),
          node.health(),
          node.position()
              .map(lsn -> (node.timeline().isPresent() ? node.timeline().getAsLong() : "?") + ": " + lsn)
              .orElse("-"),
          node.lagBytes().isPresent() ? Amounts.bytes(node.lagBytes().getAsLong()) : "",
          node.replication().orElse(""),
          node.goal().orElse("-") + " / " + node.convergence().orElse("-"),
          node.heartbeatAge().map(age -> Durations.format(age) + " ago").orElse("none"),
          String.join(",", node.flags()),
          node.detail().orElse("")));
    }
    return text.append(table.render()).toString();
  }
}
