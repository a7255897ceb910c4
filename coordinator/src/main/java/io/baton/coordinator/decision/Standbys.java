package io.baton.coordinator.decision;

import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.SyncState;
import io.baton.coordinator.replication.SyncPlanner;
import io.baton.events.EventType;
import io.baton.events.Goal;
import java.util.Optional;

/** Keeping a stable cluster in shape: every standby follows the master; the sync standby is healthy. */
final class Standbys {
  private Standbys() {}

  static boolean followMaster(Change c) {
    NodeView master = c.master().orElseThrow();
    boolean fired = false;
    for (NodeView node : c.state().nodes().values()) {
      if (node.name().equals(master.name()) || followsMaster(node, master)) {
        continue;
      }
      c.follow(
          node.name(), master,
          node.rejoining() || node.postgres().isRunningPrimary()
              ? master.name() + " is the primary now: rejoin as its standby"
              : "follow the primary " + master.name());
      fired = true;
    }
    return fired;
  }

  private static boolean followsMaster(NodeView node, NodeView master) {
    return node.goal()
        .filter(Goal.Standby.class::isInstance)
        .map(goal -> ((Goal.Standby) goal).upstream())
        .filter(upstream -> upstream.node().equals(master.name()))
        .filter(upstream -> upstream.host().equals(master.postgres().host()))
        .filter(upstream -> upstream.port() == master.postgres().port())
        .isPresent();
  }

  static boolean changeSyncStandby(Change c) {
    SyncPlanner.Plan plan = SyncPlanner.plan(c.state(), c.now(), c.policy());
    SyncState sync = c.state().sync();
    if (plan.standbys().equals(sync.configured()) && plan.degraded().equals(sync.degraded())) {
      return false;
    }
    NodeView master = c.master().orElseThrow();
    if (!plan.standbys().equals(sync.configured())) {
      c.assign(
          master.name(), SyncPlanner.goal(plan.standbys(), Optional.empty()),
          plan.standbys().isEmpty()
              ? "run without a synchronous standby"
              : "wait for " + String.join(", ", plan.standbys()) + " at each commit");
    }
    c.replace(c.state().withSync(sync.reconfigured(plan.standbys(), plan.degraded())));
    String previous = sync.configured().isEmpty() ? "none" : String.join(", ", sync.configured());
    if (plan.degraded().isPresent()) {
      c.emit(EventType.REPLICATION_DEGRADED, master.name(), plan.degraded().get());
    } else {
      c.emit(
          EventType.SYNC_STANDBYS_CHANGED, master.name(),
          "synchronous standby of " + master.name() + ": "
              + (plan.standbys().isEmpty() ? "none" : String.join(", ", plan.standbys()))
              + " (was " + previous + "; replication mode "
              + c.state().settings().replicationMode().wire() + ")");
    }
    return true;
  }

  static boolean confirmSyncStandby(Change c) {
    SyncState sync = c.state().sync();
    if (sync.promotable().equals(sync.configured())
        || !SyncPlanner.confirmed(c.master().orElseThrow(), sync.configured())) {
      return false;
    }
    c.replace(c.state().withSync(sync.confirmed()));
    return true;
  }
}
