package io.baton.coordinator.decision;

import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.SyncState;
import io.baton.coordinator.replication.SyncPlanner;
import io.baton.events.Assignment;
import io.baton.events.EventType;
import io.baton.events.Goal;
import java.util.List;
import java.util.Optional;

/** Keeping a stable cluster in shape: every standby follows the master; the sync standby is healthy. */
final class Standbys {
  private Standbys() {}

  private static List<NodeView> notFollowing(Facts f) {
    NodeView master = f.requireMaster();
    return f.state().nodeViews()
        .filter(node -> !node.name().equals(master.name()) && !followsMaster(node, master))
        .toList();
  }

  static boolean someNodeNotFollowing(Facts f) {
    return !notFollowing(f).isEmpty();
  }

  static void followMaster(Facts f, Change c) {
    NodeView master = f.requireMaster();
    for (NodeView node : notFollowing(f)) {
      c.follow(
          node.name(), master,
          node.rejoining() || node.postgres().isRunningPrimary()
              ? master.name() + " is the primary now: rejoin as its standby"
              : "follow the primary " + master.name());
    }
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

  static boolean syncPlanChanged(Facts f) {
    SyncPlanner.Plan plan = f.syncPlan();
    SyncState sync = f.state().sync();
    return !plan.standbys().equals(sync.configured()) || !plan.degraded().equals(sync.degraded());
  }

  static void changeSyncStandby(Facts f, Change c) {
    SyncPlanner.Plan plan = f.syncPlan();
    SyncState sync = f.state().sync();
    NodeView master = f.requireMaster();
    if (plan.standbys().equals(sync.configured())) {
      c.replace(c.state().withSync(sync.degraded(plan.degraded())));
    } else {
      Assignment assignment =
          c.assign(
              master.name(), SyncPlanner.goal(plan.standbys(), Optional.empty()),
              plan.standbys().isEmpty()
                  ? "run without a synchronous standby"
                  : "wait for " + String.join(", ", plan.standbys()) + " at each commit");
      c.replace(c.state().withSync(
          sync.reconfigured(plan.standbys(), plan.degraded(), assignment.generation())));
    }
    String previous = sync.configured().isEmpty() ? "none" : String.join(", ", sync.configured());
    if (plan.degraded().isPresent()) {
      c.emit(EventType.REPLICATION_DEGRADED, master.name(), plan.degraded().get());
    } else {
      c.emit(
          EventType.SYNC_STANDBYS_CHANGED, master.name(),
          "synchronous standby of " + master.name() + ": "
              + (plan.standbys().isEmpty() ? "none" : String.join(", ", plan.standbys()))
              + " (was " + previous + "; replication mode "
              + f.state().settings().replicationMode().wire() + ")");
    }
  }

  static boolean syncStandbyConfirmable(Facts f) {
    SyncState sync = f.state().sync();
    return !sync.promotable().equals(sync.configured())
        && SyncPlanner.confirmable(f.requireMaster(), sync);
  }

  static void confirmSyncStandby(Facts f, Change c) {
    c.replace(c.state().withSync(f.state().sync().confirmed()));
  }
}
