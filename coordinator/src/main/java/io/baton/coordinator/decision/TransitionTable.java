package io.baton.coordinator.decision;

import static io.baton.coordinator.cluster.PhaseKind.AWAITING_PRIMARY;
import static io.baton.coordinator.cluster.PhaseKind.PRIMARY_LOST;
import static io.baton.coordinator.cluster.PhaseKind.PROMOTING;
import static io.baton.coordinator.cluster.PhaseKind.STABLE;
import static io.baton.coordinator.cluster.PhaseKind.SWITCHOVER_DRAINING;
import static io.baton.coordinator.cluster.PhaseKind.SWITCHOVER_SYNCING;

import java.util.List;

/**
 * Every phase transition of a cluster, in the order they are tried. A row fires when its rule's
 * condition holds in the row's phase; the decider then starts again from the top for the new
 * phase, until no row fires. Rows are tried in order, so an earlier row wins: losing the primary
 * is checked before anything else in a stable cluster, promoting a standby before reinstating a
 * returned primary.
 */
public final class TransitionTable {
  private TransitionTable() {}

  public static final List<Transition> ROWS =
      List.of(
          new Transition(AWAITING_PRIMARY, PROMOTING, "adopt-primary",
              "Exactly one node reports a primary (running, or a primary's data directory): adopt"
                  + " it as the first primary, epoch 1.",
              Adoption::adopt),
          new Transition(AWAITING_PRIMARY, AWAITING_PRIMARY, "adoption-blocked",
              "No node, or more than one, reports a primary: say why and wait; choosing between two"
                  + " primaries is an operator's call.",
              Adoption::reportBlocked),

          new Transition(STABLE, PRIMARY_LOST, "primary-lease-expired",
              "No heartbeat from the primary for failover-after of broker time: its lease lapsed,"
                  + " so it has fenced itself.",
              Failover::leaseExpired),
          new Transition(STABLE, PRIMARY_LOST, "primary-relinquished",
              "The primary's agent reports PostgreSQL stopped and will never restart it writable"
                  + " under this assignment: no need to wait for the lease.",
              Failover::relinquished),
          new Transition(STABLE, STABLE, "switchover-refused",
              "A switchover cannot proceed (maintenance, no eligible target, target lagging) or"
                  + " has nothing to do: answer at once and change nothing.",
              Switchovers::refuse),
          new Transition(STABLE, SWITCHOVER_SYNCING, "switchover-make-target-synchronous",
              "A switchover was accepted and its target is not known to hold every acknowledged"
                  + " write: make it the synchronous standby first.",
              Switchovers::startWithSync),
          new Transition(STABLE, SWITCHOVER_DRAINING, "switchover-drain-at-once",
              "A switchover was accepted and its target is already the confirmed synchronous"
                  + " standby: drain the primary at once.",
              Switchovers::startDraining),
          new Transition(STABLE, STABLE, "stop-unhealthy-primary",
              "The primary's PostgreSQL has not served for failover-after while a standby could"
                  + " take over: stop it, so its agent relinquishes the role.",
              Failover::stopUnhealthyPrimary),
          new Transition(STABLE, STABLE, "follow-master",
              "A node does not have the current primary as its upstream: assign it, so standbys"
                  + " re-point and a returning old primary rejoins.",
              Standbys::followMaster),
          new Transition(STABLE, STABLE, "change-sync-standby",
              "The replication mode wants another synchronous standby (the current one failed or"
                  + " is leaving, or the mode changed): change it at once so writes do not hang.",
              Standbys::changeSyncStandby),
          new Transition(STABLE, STABLE, "confirm-sync-standby",
              "The primary reports the synchronous standby in effect and in sync: from now on it"
                  + " holds every acknowledged write, so it is promotable.",
              Standbys::confirmSyncStandby),

          new Transition(PRIMARY_LOST, PRIMARY_LOST, "failover-requested",
              "An operator asks for a failover (to a chosen node, or past the lag limit with"
                  + " --force): remember it for the candidate choice.",
              Failover::requested),
          new Transition(PRIMARY_LOST, PROMOTING, "promote-candidate",
              "A standby is eligible: promote the one holding the most WAL, and tell the lost"
                  + " primary to rejoin as its standby.",
              Failover::promoteCandidate),
          new Transition(PRIMARY_LOST, PROMOTING, "reinstate-returned-primary",
              "No standby could be promoted and the lost primary is back: make it primary again"
                  + " under a new epoch.",
              Failover::reinstateReturnedPrimary),
          new Transition(PRIMARY_LOST, PRIMARY_LOST, "failover-blocked",
              "No standby can be promoted: say why (once per reason) and keep waiting.",
              Failover::reportBlocked),

          new Transition(PROMOTING, STABLE, "promoted",
              "The candidate reports a writable primary under its assignment: publish the master"
                  + " record with the new epoch.",
              Promotion::promoted),
          new Transition(PROMOTING, PROMOTING, "switchover-target-gave-up",
              "A switchover target gave up without promoting: the drained old primary still holds"
                  + " every write, so it resumes the role.",
              Promotion::switchoverTargetGaveUp),
          new Transition(PROMOTING, PRIMARY_LOST, "promotion-failed",
              "The candidate was lost, or gave up after it may have promoted: treat it as a lost"
                  + " primary and choose again.",
              Promotion::promotionFailed),

          new Transition(SWITCHOVER_SYNCING, PRIMARY_LOST, "primary-lost-while-syncing",
              "The primary was lost before draining: the switchover becomes a failover.",
              Switchovers::primaryLost),
          new Transition(SWITCHOVER_SYNCING, SWITCHOVER_DRAINING, "target-synchronous",
              "The primary reports the target synchronous: every acknowledged write is on it, so"
                  + " drain the primary.",
              Switchovers::targetSynchronous),
          new Transition(SWITCHOVER_SYNCING, STABLE, "switchover-aborted-before-drain",
              "The target failed, or did not become synchronous in time: restore the replication"
                  + " mode; the primary never stopped.",
              Switchovers::abortBeforeDrain),

          new Transition(SWITCHOVER_DRAINING, PRIMARY_LOST, "primary-lost-while-draining",
              "The primary was lost while draining: the switchover becomes a failover.",
              Switchovers::primaryLost),
          new Transition(SWITCHOVER_DRAINING, SWITCHOVER_DRAINING, "switchover-retargeted",
              "The target failed while the primary drained: switch over to the next best standby"
                  + " instead (the drain ships the primary's last WAL to every standby).",
              Switchovers::retarget),
          new Transition(SWITCHOVER_DRAINING, PROMOTING, "primary-drained",
              "The primary stopped cleanly and reported its last WAL position: promote the target"
                  + " once it has received it; the old primary rejoins as its standby.",
              Switchovers::drained),
          new Transition(SWITCHOVER_DRAINING, PROMOTING, "switchover-aborted-during-drain",
              "No standby can take over, or the drain took too long: the old primary resumes"
                  + " under a new epoch.",
              Switchovers::abortDuringDrain));

  /** The table as Markdown, for the architecture document. */
  public static String describe() {
    StringBuilder table = new StringBuilder("| from | to | transition | why |\n|---|---|---|---|\n");
    for (Transition row : ROWS) {
      table
          .append("| ").append(row.from().wire())
          .append(" | ").append(row.to().wire())
          .append(" | `").append(row.name())
          .append("` | ").append(row.why())
          .append(" |\n");
    }
    return table.toString();
  }
}
