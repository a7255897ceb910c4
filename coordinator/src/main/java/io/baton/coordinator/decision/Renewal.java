package io.baton.coordinator.decision;

import io.baton.coordinator.cluster.NodeView;
import io.baton.events.Amounts;
import io.baton.events.Assignment;
import io.baton.events.EventType;
import io.baton.events.Goal;

/**
 * A primary whose agent fenced it when its heartbeats went unacknowledged for fence-after (a Kafka
 * blip, a broker pause) and that is heard again before anyone declared it lost. The agent never
 * decides alone that nobody was promoted meanwhile: its acknowledgements carry broker times the
 * coordinator may not have seen in the same order, or on the same clock. The coordinator, which
 * decides everything about the cluster in one order on one clock, knows: it has not failed over,
 * so it renews the role under a newer generation, and the agent unfences under that one.
 */
final class Renewal {
  private Renewal() {}

  /** Fenced under the primary assignment it holds, not relinquished, not lost, none in flight. */
  static boolean due(NodeView node, Facts f) {
    return node.agent().fenced()
        && !node.relinquishedPrimary()
        && !f.isLost(node)
        && node.assignment()
            .filter(a -> a.goal() instanceof Goal.Primary)
            .filter(a -> node.accepted(a.generation()))
            .isPresent();
  }

  static Assignment renew(Facts f, Change c, NodeView node) {
    Goal primary = node.goal().orElseThrow();
    Assignment renewed =
        c.assign(
            node.name(), primary,
            "your lease ran out but you were never lost: resume as the primary");
    c.emit(
        EventType.PRIMARY_RENEWED, node.name(),
        node.name() + " fenced itself when its heartbeats went unacknowledged for "
            + Amounts.seconds(node.agent().fenceAfter()) + ", and is heard again before failover-after "
            + Amounts.seconds(f.policy().failoverAfterFor(node)) + ": nobody was promoted, so it"
            + " resumes as the primary under generation " + renewed.generation());
    return renewed;
  }

  static void renewMaster(Facts f, Change c) {
    renew(f, c, f.requireMaster());
  }

  static boolean masterFenced(Facts f) {
    return f.master().filter(master -> due(master, f)).isPresent();
  }
}
