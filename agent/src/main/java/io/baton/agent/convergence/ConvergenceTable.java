package io.baton.agent.convergence;

import static io.baton.agent.convergence.GoalKind.DRAINED;
import static io.baton.agent.convergence.GoalKind.NONE;
import static io.baton.agent.convergence.GoalKind.PRIMARY;
import static io.baton.agent.convergence.GoalKind.STANDBY;
import static io.baton.agent.convergence.GoalKind.STOPPED;
import static io.baton.agent.convergence.Observed.RUNNING_PRIMARY;
import static io.baton.agent.convergence.Observed.RUNNING_STANDBY;
import static io.baton.agent.convergence.Observed.STARTING;
import static io.baton.agent.convergence.Observed.STOPPED_PRIMARY;
import static io.baton.agent.convergence.Observed.STOPPED_STANDBY;
import static io.baton.agent.convergence.Observed.UNREACHABLE;
import static io.baton.agent.convergence.Observed.UNREADABLE;

import io.baton.agent.convergence.Action.ApplySynchronousStandbyNames;
import io.baton.agent.convergence.Action.Converged;
import io.baton.agent.convergence.Action.Fence;
import io.baton.agent.convergence.Action.Follow;
import io.baton.agent.convergence.Action.Promote;
import io.baton.agent.convergence.Action.Rejoin;
import io.baton.agent.convergence.Action.Relinquish;
import io.baton.agent.convergence.Action.StartPrimary;
import io.baton.agent.convergence.Action.StartStandby;
import io.baton.agent.convergence.Action.StopCleanly;
import io.baton.agent.convergence.Action.Wait;
import io.baton.events.Convergence;
import io.baton.events.DataDirectoryStatus;
import io.baton.events.Goal;
import io.baton.events.Lsn;
import io.baton.events.SynchronousStandbyNames;
import io.baton.events.Upstream;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The agent's transition table: for every goal it can be assigned and every state its PostgreSQL
 * can be in, the next action and why. One cell per pair, no gaps: {@code
 * ConvergenceReachabilityTest} checks that the table covers every goal of {@link Goal} and every
 * {@link Observed} state, and that each goal is reached from each state.
 *
 * <p>Safety lives in four places here: PostgreSQL that may accept writes without a lease is
 * fenced before any cell is looked at, whatever its goal and whether or not the agent can log in
 * to it; a node never becomes or stays writable under a generation it relinquished, or under
 * which its lease ran out (the coordinator renews the role under a newer generation when no one
 * can have been promoted); a node that crashed as primary relinquishes that generation instead of
 * restarting on its own, so the coordinator can fail over at once; and a standby never runs
 * without {@code standby.signal}.
 */
public final class ConvergenceTable {
  private ConvergenceTable() {}

  /** One cell: in this goal, with PostgreSQL in this state, do this, because of that. */
  public record Cell(GoalKind goal, Observed observed, String why, Function<Situation, Action> next) {}

  public static final List<Cell> CELLS =
      List.of(
          // No assignment yet: the coordinator has not decided anything; change nothing.
          new Cell(NONE, RUNNING_PRIMARY, "awaiting adoption; a running primary is left as it is",
              s -> new Wait(Convergence.UNASSIGNED, "no assignment yet: PostgreSQL runs as a primary")),
          new Cell(NONE, RUNNING_STANDBY, "awaiting an assignment",
              s -> new Wait(Convergence.UNASSIGNED, "no assignment yet: PostgreSQL runs as a standby")),
          new Cell(NONE, STOPPED_PRIMARY, "never start writable without an assignment",
              s -> new Wait(Convergence.UNASSIGNED, "no assignment yet: PostgreSQL stays stopped")),
          new Cell(NONE, STOPPED_STANDBY, "awaiting an assignment",
              s -> new Wait(Convergence.UNASSIGNED, "no assignment yet: PostgreSQL stays stopped")),
          new Cell(NONE, STARTING, "awaiting an assignment",
              s -> new Wait(Convergence.UNASSIGNED, "no assignment yet: PostgreSQL is starting")),
          new Cell(NONE, UNREACHABLE, "awaiting an assignment",
              s -> new Wait(Convergence.UNASSIGNED, "no assignment yet: PostgreSQL does not answer")),
          new Cell(NONE, UNREADABLE, "nothing can be done with an unreadable data directory",
              ConvergenceTable::unreadable),

          // Primary: be the writable primary, only while the lease holds.
          new Cell(PRIMARY, RUNNING_PRIMARY,
              "fence when the role was relinquished or the lease ran out under it; else keep the"
                  + " synchronous standbys as assigned",
              ConvergenceTable::primaryWhileRunningPrimary),
          new Cell(PRIMARY, RUNNING_STANDBY,
              "promote once the lease holds and the WAL the assignment names has arrived",
              ConvergenceTable::primaryWhileRunningStandby),
          new Cell(PRIMARY, STOPPED_PRIMARY,
              "start writable only under a lease and a generation neither relinquished nor fenced"
                  + " under; a crash relinquishes instead, so the coordinator can fail over at once",
              ConvergenceTable::primaryWhileStoppedPrimary),
          new Cell(PRIMARY, STOPPED_STANDBY,
              "start in recovery first; promotion follows", ConvergenceTable::primaryWhileStoppedStandby),
          new Cell(PRIMARY, STARTING, "let it start",
              s -> new Wait(Convergence.CONVERGING, "PostgreSQL is starting")),
          new Cell(PRIMARY, UNREACHABLE, "nothing to do until it answers; the coordinator decides",
              s -> new Wait(Convergence.FAILED, "PostgreSQL does not answer")),
          new Cell(PRIMARY, UNREADABLE, "nothing can be done with an unreadable data directory",
              ConvergenceTable::unreadable),

          // Standby: replicate from the assigned upstream.
          new Cell(STANDBY, RUNNING_PRIMARY,
              "another node is the primary: stop accepting writes at once",
              s -> new Fence(
                  upstreamOf(s).node() + " is the primary: stopping at once, then rejoining as its standby")),
          new Cell(STANDBY, RUNNING_STANDBY,
              "re-point without restart; rewind when it stopped streaming although the upstream"
                  + " answers (its history diverged)",
              ConvergenceTable::standbyWhileRunningStandby),
          new Cell(STANDBY, STOPPED_PRIMARY,
              "a former primary: rewind when its history diverged, then start as a standby",
              s -> new Rejoin(
                  upstreamOf(s),
                  "was a primary: rewinding from " + upstreamOf(s).node()
                      + " where histories diverged, then starting as its standby")),
          new Cell(STANDBY, STOPPED_STANDBY, "start replicating",
              s -> new StartStandby(
                  Optional.of(upstreamOf(s)), "starting as a standby of " + upstreamOf(s).node())),
          new Cell(STANDBY, STARTING, "let it start; one starting without standby.signal is stopped",
              s -> s.possiblyWritable()
                  ? fenceWritableStandby(s, "is starting without standby.signal")
                  : new Wait(Convergence.CONVERGING, "PostgreSQL is starting")),
          new Cell(STANDBY, UNREACHABLE,
              "nothing to do until it answers; one that may accept writes is stopped",
              s -> s.possiblyWritable()
                  ? fenceWritableStandby(s, "does not answer and may accept writes")
                  : new Wait(Convergence.FAILED, "PostgreSQL does not answer")),
          new Cell(STANDBY, UNREADABLE, "nothing can be done with an unreadable data directory",
              ConvergenceTable::unreadable),

          // Drained: stop cleanly for a switchover and report the last WAL position.
          new Cell(DRAINED, RUNNING_PRIMARY,
              "a clean stop ships the shutdown checkpoint to every standby",
              s -> new StopCleanly(
                  "switchover: draining (no new writes, sessions ended, shutdown checkpoint)")),
          new Cell(DRAINED, RUNNING_STANDBY, "stop cleanly",
              s -> new StopCleanly("switchover: stopping")),
          new Cell(DRAINED, STOPPED_PRIMARY,
              "drained when it stopped cleanly; a crash relinquishes the primary role instead",
              ConvergenceTable::stoppedAfterDrain),
          new Cell(DRAINED, STOPPED_STANDBY, "drained when it stopped cleanly",
              ConvergenceTable::stoppedAfterDrain),
          new Cell(DRAINED, STARTING, "stop it cleanly",
              s -> new StopCleanly("switchover: stopping")),
          new Cell(DRAINED, UNREACHABLE, "stop it cleanly, or fence when that takes too long",
              s -> new StopCleanly("switchover: stopping a PostgreSQL that does not answer")),
          new Cell(DRAINED, UNREADABLE, "nothing can be done with an unreadable data directory",
              ConvergenceTable::unreadable),

          // Stopped: keep PostgreSQL down.
          new Cell(STOPPED, RUNNING_PRIMARY, "stop it",
              s -> new StopCleanly("assigned stopped: stopping")),
          new Cell(STOPPED, RUNNING_STANDBY, "stop it",
              s -> new StopCleanly("assigned stopped: stopping")),
          new Cell(STOPPED, STOPPED_PRIMARY,
              "stopped as assigned; relinquish a primary role so the coordinator can fail over",
              ConvergenceTable::stoppedAsAssigned),
          new Cell(STOPPED, STOPPED_STANDBY, "stopped as assigned",
              ConvergenceTable::stoppedAsAssigned),
          new Cell(STOPPED, STARTING, "stop it",
              s -> new StopCleanly("assigned stopped: stopping")),
          new Cell(STOPPED, UNREACHABLE, "stop it, or fence when that takes too long",
              s -> new StopCleanly("assigned stopped: stopping a PostgreSQL that does not answer")),
          new Cell(STOPPED, UNREADABLE, "nothing can be done with an unreadable data directory",
              ConvergenceTable::unreadable));

  /** What is checked before any cell, in the words of the architecture document. */
  static final String LEASE_RULE =
      "fence: it may accept writes (a live postmaster without standby.signal, observable or not)"
          + " and no heartbeat was acknowledged for fence-after";

  /** The table as Markdown, for the architecture document. */
  public static String describe() {
    StringBuilder table =
        new StringBuilder("| goal | PostgreSQL is | what the agent does, and why |\n|---|---|---|\n")
            .append("| any | may accept writes, no lease | ").append(LEASE_RULE).append(" |\n");
    for (Cell cell : CELLS) {
      table
          .append("| ").append(cell.goal().name().toLowerCase(java.util.Locale.ROOT))
          .append(" | ").append(cell.observed().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
          .append(" | ").append(cell.why())
          .append(" |\n");
    }
    return table.toString();
  }

  /** The next action for this situation. */
  public static Action decide(Situation situation) {
    if (!situation.leaseValid() && situation.possiblyWritable()) {
      return new Fence("heartbeats not acknowledged for fence-after: fencing");
    }
    GoalKind goal = GoalKind.of(situation.goal());
    Observed observed = situation.observed();
    return CELLS.stream()
        .filter(cell -> cell.goal() == goal && cell.observed() == observed)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no cell for " + goal + " x " + observed))
        .next()
        .apply(situation);
  }

  private static Action primaryWhileRunningPrimary(Situation s) {
    long generation = s.generation();
    if (s.relinquished(generation)) {
      return new Fence(
          "writable under generation " + generation + ", which this agent relinquished: fencing");
    }
    if (s.fencedUnder(generation)) {
      return new Fence(
          "writable under generation " + generation + ", under which the lease ran out: fencing");
    }
    String wanted = SynchronousStandbyNames.render(primaryGoal(s));
    if (!s.postgres().synchronousStandbyNames().orElse("").equals(wanted)) {
      return new ApplySynchronousStandbyNames(
          wanted,
          wanted.isEmpty()
              ? "replicating asynchronously"
              : "commits wait for " + String.join(", ", primaryGoal(s).synchronousStandbys()));
    }
    return new Converged(
        "primary, accepting writes"
            + (wanted.isEmpty() ? "" : " (synchronous standby " + String.join(", ", primaryGoal(s).synchronousStandbys()) + ")"));
  }

  private static Action primaryWhileRunningStandby(Situation s) {
    long generation = s.generation();
    if (s.relinquished(generation)) {
      return relinquishedWait(generation);
    }
    if (s.fencedUnder(generation)) {
      return fencedWait(generation);
    }
    Optional<Lsn> catchUpTo = primaryGoal(s).catchUpTo();
    if (catchUpTo.isPresent() && s.received().isBefore(catchUpTo.get())) {
      if (s.assignedFor().compareTo(s.timings().catchUpTimeout()) >= 0) {
        return new Relinquish(
            generation,
            "did not receive " + catchUpTo.get() + " within " + s.timings().catchUpTimeout().toSeconds()
                + " s (received " + s.received() + "): not promoting");
      }
      return new Wait(
          Convergence.CONVERGING,
          "receiving WAL up to " + catchUpTo.get() + " before promoting (at " + s.received() + ")");
    }
    if (!s.leaseValid()) {
      return new Wait(Convergence.WAITING, "not promoting: heartbeats are not being acknowledged");
    }
    return new Promote(
        primaryGoal(s).timelineAbove().orElse(0),
        "promoting" + catchUpTo.map(lsn -> " (received " + s.received() + " >= " + lsn + ")").orElse(""));
  }

  private static Action primaryWhileStoppedPrimary(Situation s) {
    long generation = s.generation();
    if (s.relinquished(generation)) {
      return relinquishedWait(generation);
    }
    if (s.fencedUnder(generation)) {
      return fencedWait(generation);
    }
    if (s.crashed()) {
      return new Relinquish(
          generation,
          "PostgreSQL stopped unexpectedly"
              + s.postgres().error().map(e -> " (" + e + ")").orElse("")
              + ": not restarting it writable without a newer assignment");
    }
    if (!s.leaseValid()) {
      return new Wait(Convergence.WAITING, "not starting as primary: heartbeats are not being acknowledged");
    }
    return new StartPrimary(
        SynchronousStandbyNames.render(primaryGoal(s)),
        s.everFenced()
            ? "unfencing: the coordinator renewed the primary role under generation " + generation
                + ", so no other node was promoted"
            : "starting as the primary");
  }

  private static Action primaryWhileStoppedStandby(Situation s) {
    long generation = s.generation();
    if (s.relinquished(generation)) {
      return relinquishedWait(generation);
    }
    if (s.fencedUnder(generation)) {
      return fencedWait(generation);
    }
    if (s.crashed()) {
      return new Relinquish(generation, "PostgreSQL stopped unexpectedly before its promotion");
    }
    return new StartStandby(Optional.empty(), "starting in recovery, to be promoted");
  }

  private static Action standbyWhileRunningStandby(Situation s) {
    Upstream upstream = upstreamOf(s);
    if (!s.pointsAt(upstream)) {
      return new Follow(upstream, "following " + upstream.node());
    }
    if (s.streamsFrom(upstream)) {
      return new Converged("streaming from " + upstream.node());
    }
    if (s.notStreamingFor().compareTo(s.timings().rewindAfter()) >= 0 && s.upstreamReachable()) {
      return new Rejoin(
          upstream,
          "not streaming from " + upstream.node() + " for " + s.notStreamingFor().toSeconds()
              + " s although it answers: its history may have diverged; rewinding");
    }
    return new Wait(Convergence.CONVERGING, "connecting to " + upstream.node());
  }

  private static Action stoppedAfterDrain(Situation s) {
    Optional<DataDirectoryStatus> data = s.postgres().dataDirectory();
    if (data.filter(DataDirectoryStatus::isCleanlyShutDown).isPresent()) {
      return new Converged("drained at " + data.get().checkpointLsn());
    }
    return relinquishLastPrimary(s, "PostgreSQL stopped uncleanly while draining")
        .orElseGet(() -> new Wait(Convergence.FAILED, "stopped uncleanly; cannot report a drain position"));
  }

  private static Action stoppedAsAssigned(Situation s) {
    return relinquishLastPrimary(s, "stopped as assigned")
        .orElseGet(() -> new Converged("stopped as assigned"));
  }

  private static Optional<Action> relinquishLastPrimary(Situation s, String why) {
    if (s.lastPrimaryGeneration().isPresent()
        && !s.relinquished(s.lastPrimaryGeneration().getAsLong())) {
      return Optional.of(new Relinquish(s.lastPrimaryGeneration().getAsLong(), why));
    }
    return Optional.empty();
  }

  private static Action relinquishedWait(long generation) {
    return new Wait(
        Convergence.WAITING,
        "relinquished the primary role of generation " + generation
            + ": waiting for a newer assignment");
  }

  private static Action fencedWait(long generation) {
    return new Wait(
        Convergence.WAITING,
        "the lease ran out under generation " + generation + ": waiting for the coordinator to"
            + " renew the primary role or to fail over");
  }

  private static Action fenceWritableStandby(Situation s, String state) {
    return new Fence(
        upstreamOf(s).node() + " is the primary and this node " + state
            + ": stopping it, then rejoining as a standby");
  }

  private static Action unreadable(Situation s) {
    return new Wait(
        Convergence.FAILED,
        "the data directory cannot be read" + s.postgres().error().map(e -> ": " + e).orElse(""));
  }

  private static Goal.Primary primaryGoal(Situation s) {
    return (Goal.Primary) s.goal().orElseThrow();
  }

  private static Upstream upstreamOf(Situation s) {
    return ((Goal.Standby) s.goal().orElseThrow()).upstream();
  }
}
