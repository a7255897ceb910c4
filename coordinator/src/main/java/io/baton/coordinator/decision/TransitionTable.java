package io.baton.coordinator.decision;

import static io.baton.coordinator.cluster.PhaseKind.AWAITING_PRIMARY;
import static io.baton.coordinator.cluster.PhaseKind.PRIMARY_LOST;
import static io.baton.coordinator.cluster.PhaseKind.PROMOTING;
import static io.baton.coordinator.cluster.PhaseKind.STABLE;
import static io.baton.coordinator.cluster.PhaseKind.SWITCHOVER_DRAINING;
import static io.baton.coordinator.cluster.PhaseKind.SWITCHOVER_SYNCING;

import java.util.List;

/**
 * Every phase transition of a cluster, in the order they are tried. A row fires when its guard
 * holds over the step's {@link Facts} in the row's phase; its action then changes the cluster, and
 * the decider starts again from the top for the new phase, until no row fires. Rows are tried in
 * order, so an earlier row wins: losing the primary is checked before anything else in a stable
 * cluster, promoting a standby before reinstating a returned primary.
 */
public final class TransitionTable {
  private TransitionTable() {}

  public static final List<Transition> ROWS =
      List.of(
          new Transition(AWAITING_PRIMARY, PROMOTING, "adopt-primary",
              "Exactly one node reports a primary (running, or a primary's data directory): adopt"
                  + " it as the first primary, epoch 1.",
              Adoption::canAdopt, Adoption::adopt),
          new Transition(AWAITING_PRIMARY, AWAITING_PRIMARY, "adoption-blocked",
              "No node, or more than one, reports a primary: say why and wait; choosing between two"
                  + " primaries is an operator's call.",
              Adoption::blockedAnew, Adoption::reportBlocked),

          new Transition(STABLE, PRIMARY_LOST, "primary-lease-expired",
              "No heartbeat from the primary for failover-after of broker time: its lease lapsed,"
                  + " so it has fenced itself.",
              Facts::masterLost, Failover::leaseExpired),
          new Transition(STABLE, PRIMARY_LOST, "primary-relinquished",
              "The primary's agent reports PostgreSQL stopped and will never restart it writable"
                  + " under this assignment: no need to wait for the lease.",
              Facts::masterRelinquished, Failover::relinquished),
          new Transition(STABLE, STABLE, "primary-lease-renewed",
              "The primary fenced itself when its heartbeats went unacknowledged, and is heard"
                  + " again before it was lost: nobody was promoted, so renew its role under a"
                  + " newer generation, under which it unfences.",
              Renewal::masterFenced, Renewal::renewMaster),
          new Transition(STABLE, STABLE, "switchover-refused",
              "A switchover cannot proceed (maintenance, no eligible target, target lagging) or"
                  + " has nothing to do: answer at once and change nothing.",
              Switchovers::refused, Switchovers::refuse),
          new Transition(STABLE, SWITCHOVER_SYNCING, "switchover-make-target-synchronous",
              "A switchover was accepted and its target is not known to hold every acknowledged"
                  + " write: make it the synchronous standby first.",
              Switchovers::targetNotYetSynchronous, Switchovers::startWithSync),
          new Transition(STABLE, SWITCHOVER_DRAINING, "switchover-drain-at-once",
              "A switchover was accepted and its target is already the confirmed synchronous"
                  + " standby: drain the primary at once.",
              Switchovers::targetAlreadySynchronous, Switchovers::startDraining),
          new Transition(STABLE, STABLE, "stop-unhealthy-primary",
              "The primary's PostgreSQL has not served for failover-after while a standby could"
                  + " take over: stop it, so its agent relinquishes the role.",
              Failover::primaryUnhealthyTooLong, Failover::stopUnhealthyPrimary),
          new Transition(STABLE, STABLE, "follow-master",
              "A node does not have the current primary as its upstream: assign it, so standbys"
                  + " re-point and a returning old primary rejoins.",
              Standbys::someNodeNotFollowing, Standbys::followMaster),
          new Transition(STABLE, STABLE, "change-sync-standby",
              "The replication mode wants another synchronous standby (the current one failed or"
                  + " is leaving, or the mode changed): change it at once so writes do not hang.",
              Standbys::syncPlanChanged, Standbys::changeSyncStandby),
          new Transition(STABLE, STABLE, "confirm-sync-standby",
              "The primary reports, under the assignment that set it, the synchronous standby in"
                  + " effect, in sync, and holding the WAL written before: from now on it holds"
                  + " every acknowledged write, so it is promotable.",
              Standbys::syncStandbyConfirmable, Standbys::confirmSyncStandby),

          new Transition(PRIMARY_LOST, PRIMARY_LOST, "failover-requested",
              "An operator asks for a failover (to a chosen node, or past the lag limit with"
                  + " --force): remember it for the candidate choice.",
              Failover::failoverRequested, Failover::requested),
          new Transition(PRIMARY_LOST, PROMOTING, "promote-candidate",
              "Every live node has reported since the lost primary was last heard and a standby"
                  + " is eligible: promote the one holding the most WAL, and tell the lost primary"
                  + " to rejoin as its standby.",
              Failover::candidateChosen, Failover::promoteCandidate),
          new Transition(PRIMARY_LOST, PROMOTING, "reinstate-returned-primary",
              "No standby could be promoted and the lost primary is back holding every"
                  + " acknowledged write: make it primary again under a new epoch.",
              Failover::lostPrimaryBackWithEveryWrite, Failover::reinstateReturnedPrimary),
          new Transition(PRIMARY_LOST, PRIMARY_LOST, "failover-blocked",
              "No standby can be promoted: say why (once per reason) and keep waiting.",
              f -> Failover.blockedAnew(f).isPresent(), Failover::reportBlocked),

          new Transition(PROMOTING, STABLE, "promoted",
              "The candidate reports a writable primary under its assignment: publish the master"
                  + " record with the new epoch.",
              Promotion::reportsPrimary, Promotion::promoted),
          new Transition(PROMOTING, PROMOTING, "candidate-lease-renewed",
              "The candidate fenced itself when its heartbeats went unacknowledged, and is heard"
                  + " again before it was lost: renew its promotion under a newer generation.",
              Promotion::candidateFenced, Promotion::renewCandidate),
          new Transition(PROMOTING, PROMOTING, "switchover-target-gave-up",
              "A switchover target gave up without promoting: the drained old primary still holds"
                  + " every write, so it resumes the role.",
              Promotion::switchoverTargetGaveUp, Promotion::resumeDrainedPrimary),
          new Transition(PROMOTING, PRIMARY_LOST, "promotion-failed",
              "The candidate was lost, or gave up after it may have promoted: treat it as a lost"
                  + " primary and choose again, measured against every write acknowledged so far.",
              Promotion::candidateLostOrGaveUp, Promotion::promotionFailed),
          new Transition(PROMOTING, PROMOTING, "promotion-timed-out",
              "The candidate heartbeats but has not become the primary within promotion-timeout:"
                  + " stop it, so that its agent gives the role up and another can be chosen.",
              Promotion::timedOut, Promotion::stopStuckCandidate),

          new Transition(SWITCHOVER_SYNCING, PRIMARY_LOST, "primary-lost-while-syncing",
              "The primary was lost before draining: the switchover becomes a failover.",
              Switchovers::primaryLost, Switchovers::failOver),
          new Transition(SWITCHOVER_SYNCING, SWITCHOVER_SYNCING, "primary-lease-renewed-while-syncing",
              "The primary fenced itself on a Kafka blip and is heard again before it was lost:"
                  + " renew its role, so the switchover can go on.",
              Switchovers::primaryFencedWhileSyncing, Switchovers::renewPrimary),
          new Transition(SWITCHOVER_SYNCING, SWITCHOVER_DRAINING, "target-synchronous",
              "The primary reports the target synchronous and holding every acknowledged write:"
                  + " drain the primary.",
              Switchovers::targetConfirmedSynchronous, Switchovers::targetSynchronous),
          new Transition(SWITCHOVER_SYNCING, STABLE, "switchover-aborted-before-drain",
              "The target failed, or did not become synchronous in time: restore the replication"
                  + " mode; the primary never stopped.",
              Switchovers::mustAbortBeforeDrain, Switchovers::abortBeforeDrain),

          new Transition(SWITCHOVER_DRAINING, PRIMARY_LOST, "primary-lost-while-draining",
              "The primary was lost while draining: the switchover becomes a failover.",
              Switchovers::primaryLost, Switchovers::failOver),
          new Transition(SWITCHOVER_DRAINING, SWITCHOVER_DRAINING, "switchover-retargeted",
              "The target failed while the primary drained: switch over to the next best standby"
                  + " instead (the drain ships the primary's last WAL to every standby).",
              Switchovers::targetFailedWithAReplacement, Switchovers::retarget),
          new Transition(SWITCHOVER_DRAINING, PROMOTING, "primary-drained",
              "The primary stopped cleanly and reported its last WAL position: promote the target"
                  + " once it has received it (in synchronous modes its commits wait for the"
                  + " drained primary); the old primary rejoins as its standby.",
              Switchovers::primaryDrained, Switchovers::drained),
          new Transition(SWITCHOVER_DRAINING, PROMOTING, "switchover-aborted-during-drain",
              "No standby can take over, or the drain took too long: the old primary resumes"
                  + " under a new epoch.",
              Switchovers::mustAbortDuringDrain, Switchovers::abortDuringDrain));

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
