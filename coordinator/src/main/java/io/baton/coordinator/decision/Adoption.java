package io.baton.coordinator.decision;

import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.Phase;
import io.baton.coordinator.cluster.ClusterState;
import io.baton.events.Lsn;
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

  /** The one node that reports a primary, or why there is none. */
  record Verdict(Optional<NodeView> sole, String explanation) {}

  static boolean canAdopt(Facts f) {
    Optional<NodeView> sole = f.adoption().sole();
    if (sole.isEmpty()) {
      return false;
    }
    Phase.AwaitingPrimary awaiting = f.phase(Phase.AwaitingPrimary.class);
    boolean settled =
        awaiting.since().map(since -> !f.now().isBefore(since.plus(SETTLE))).orElse(false);
    return sole.get().postgres().isRunningPrimary() || settled;
  }

  static void adopt(Facts f, Change c) {
    NodeView node = f.adoption().sole().orElseThrow();
    String explanation = f.adoption().explanation();
    Promotion.promote(
        c, node.name(), List.of(), List.of(), Optional.empty(),
        "adopted as the first primary: " + explanation, new Phase.Origin.Adoption(explanation),
        Lsn.ZERO, f.now());
    c.emit(
        EventType.PRIMARY_ADOPTED, node.name(),
        "adopting " + node.name() + " as the first primary of " + f.state().cluster() + ": "
            + explanation);
  }

  static boolean blockedAnew(Facts f) {
    Verdict verdict = f.adoption();
    return verdict.sole().isEmpty()
        && f.phase(Phase.AwaitingPrimary.class).blockedReason()
            .filter(verdict.explanation()::equals).isEmpty();
  }

  static void reportBlocked(Facts f, Change c) {
    Phase.AwaitingPrimary phase = f.phase(Phase.AwaitingPrimary.class);
    String why = f.adoption().explanation();
    c.phase(new Phase.AwaitingPrimary(phase.since(), Optional.of(why)));
    c.emit(EventType.ADOPTION_BLOCKED, Optional.empty(), "no primary adopted yet: " + why);
  }

  static Verdict verdict(Facts f) {
    ClusterState state = f.state();
    List<NodeView> alive = state.nodeViews().filter(node -> !f.isLost(node)).toList();
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
