package io.baton.coordinator.decision;

import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.Phase;
import io.baton.coordinator.replication.SyncPlanner;
import io.baton.events.Assignment;
import io.baton.events.DataDirectoryStatus;
import io.baton.events.EventType;
import io.baton.events.Health;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A cluster's first primary: the one node that reports being one. */
final class Adoption {
  /**
   * How long after a cluster's first heartbeat a primary's data directory (PostgreSQL not
   * running) may be adopted: long enough for every agent started with it to report, so that two
   * nodes claiming to be the primary are seen before one is started writable. A node already
   * running as a primary is adopted at once: it accepts writes whatever we decide.
   */
  static final Duration SETTLE = Duration.ofSeconds(2);

  private Adoption() {}

  private record Verdict(Optional<NodeView> sole, String explanation) {}

  static boolean adopt(Change c) {
    Verdict verdict = verdict(c);
    if (verdict.sole().isEmpty()) {
      return false;
    }
    NodeView node = verdict.sole().get();
    Phase.AwaitingPrimary awaiting = (Phase.AwaitingPrimary) c.state().phase();
    boolean settled =
        awaiting.since().map(since -> !c.now().isBefore(since.plus(SETTLE))).orElse(false);
    if (!node.postgres().isRunningPrimary() && !settled) {
      return false;
    }
    c.newEpoch();
    Assignment assignment =
        c.assign(
            node.name(), SyncPlanner.goal(List.of(), Optional.empty()),
            "adopted as the first primary: " + verdict.explanation());
    c.emit(
        EventType.PRIMARY_ADOPTED, node.name(),
        "adopting " + node.name() + " as the first primary of " + c.state().cluster() + ": "
            + verdict.explanation());
    c.phase(
        new Phase.Promoting(
            node.name(), assignment.generation(), c.now(),
            new Phase.Origin.Adoption(verdict.explanation())));
    return true;
  }

  static boolean reportBlocked(Change c) {
    Verdict verdict = verdict(c);
    Phase.AwaitingPrimary phase = (Phase.AwaitingPrimary) c.state().phase();
    if (verdict.sole().isPresent()
        || phase.blockedReason().filter(verdict.explanation()::equals).isPresent()) {
      return false;
    }
    c.phase(new Phase.AwaitingPrimary(phase.since(), Optional.of(verdict.explanation())));
    c.emit(EventType.ADOPTION_BLOCKED, Optional.empty(), "no primary adopted yet: " + verdict.explanation());
    return true;
  }

  private static Verdict verdict(Change c) {
    List<NodeView> alive =
        c.state().nodeViews().filter(node -> !c.policy().isLost(node, c.now())).toList();
    Set<String> systems =
        alive.stream()
            .map(Adoption::systemIdentifier)
            .flatMap(Optional::stream)
            .collect(Collectors.toCollection(TreeSet::new));
    if (systems.size() > 1) {
      return new Verdict(
          Optional.empty(),
          "the nodes belong to different database systems (" + String.join(", ", systems)
              + "): refusing to choose");
    }
    List<NodeView> primaries = alive.stream().filter(Adoption::looksPrimary).toList();
    if (primaries.isEmpty()) {
      return new Verdict(Optional.empty(), "no node reports a primary yet");
    }
    if (primaries.size() > 1) {
      return new Verdict(
          Optional.empty(),
          primaries.stream().map(NodeView::name).collect(Collectors.joining(" and "))
              + " all report a primary: refusing to choose; keep only one of them a primary");
    }
    NodeView sole = primaries.get(0);
    String how =
        sole.postgres().isRunningPrimary()
            ? "the only node running a primary"
            : "the only node whose data directory is a primary's ("
                + sole.postgres().dataDirectory().map(DataDirectoryStatus::state).orElse("?") + ")";
    return new Verdict(Optional.of(sole), how);
  }

  private static boolean looksPrimary(NodeView node) {
    if (node.postgres().isRunningPrimary()) {
      return true;
    }
    return node.postgres().health() == Health.DOWN
        && node.postgres().dataDirectory().filter(DataDirectoryStatus::isPrimary).isPresent();
  }

  private static Optional<String> systemIdentifier(NodeView node) {
    return node.postgres().systemIdentifier()
        .or(() -> node.postgres().dataDirectory().map(DataDirectoryStatus::systemIdentifier));
  }
}
