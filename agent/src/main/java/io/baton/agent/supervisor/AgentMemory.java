package io.baton.agent.supervisor;

import io.baton.events.Assignment;
import io.baton.events.Convergence;
import io.baton.events.Goal;
import io.baton.events.Lsn;
import io.baton.events.PostgresStatus;
import io.baton.events.Upstream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the agent knows and has promised, as one immutable value. The loop, the lease guard and the
 * watchdog's reader each change it only through the pure transitions below (compare-and-set in
 * {@link Supervisor}), and a heartbeat is built from one value: what it says about PostgreSQL, the
 * assignment and the promises always belong to the same moment.
 *
 * @param postgres the newest observation, taken after {@link #accepted} was accepted
 * @param accepted the newest assignment accepted
 * @param acceptedAtNanos when it was accepted (monotonic clock)
 * @param lastPrimaryGeneration the newest primary assignment accepted
 * @param relinquished never writable again under a primary assignment of this generation or older,
 *     and the coordinator may fail over at once
 * @param fencedGeneration the lease ran out while PostgreSQL may have been writable under a primary
 *     assignment of this generation or older: never writable again under one of them; the
 *     coordinator renews the role under a newer generation when nobody can have been promoted
 * @param stoppedByAgent PostgreSQL is down because the agent or its watchdog stopped it
 * @param ranSinceAssigned PostgreSQL was seen running since the assignment was accepted: down now
 *     and not stopped by the agent means it crashed
 * @param streamingSeenNanos when a standby was last seen streaming from its assigned upstream (or
 *     had none to stream from)
 * @param configuredUpstream the upstream PostgreSQL was last configured to replicate from (the WAL
 *     receiver shows it only while connected)
 * @param drainedAt the shutdown checkpoint of a drain, reported to the coordinator
 * @param leavingUntilNanos the node is going away (preStop): never a candidate or synchronous
 *     standby until then (monotonic clock). The mark expires, so that a handover asked for by
 *     mistake, or one whose node stayed, does not take a candidate away for the process's life
 * @param handover the id under which this node, leaving, asks in its heartbeats for its primary
 *     role to be handed over; the coordinator answers under it on the events topic. It goes with
 *     the leaving mark
 * @param restartRequest a restart asked for over the API, carried out at the loop's next turn
 * @param convergence how far the agent got, as reported
 * @param detail one sentence for people, as reported
 */
public record AgentMemory(
    PostgresStatus postgres,
    Optional<Assignment> accepted,
    long acceptedAtNanos,
    OptionalLong lastPrimaryGeneration,
    OptionalLong relinquished,
    OptionalLong fencedGeneration,
    boolean stoppedByAgent,
    boolean ranSinceAssigned,
    long streamingSeenNanos,
    Optional<Upstream> configuredUpstream,
    Optional<Lsn> drainedAt,
    OptionalLong leavingUntilNanos,
    Optional<String> handover,
    Optional<String> restartRequest,
    Convergence convergence,
    String detail) {

  /**
   * A new agent process. A primary assignment it finds was given to an earlier process: it cannot
   * know what happened while it was away, so it never accepts writes under it (relinquished).
   */
  public static AgentMemory starting(
      PostgresStatus postgres, Optional<Assignment> found, long nowNanos) {
    OptionalLong generation =
        found.map(a -> OptionalLong.of(a.generation())).orElse(OptionalLong.empty());
    OptionalLong primary =
        found.filter(a -> a.goal() instanceof Goal.Primary).isPresent()
            ? generation
            : OptionalLong.empty();
    return new AgentMemory(
        postgres, found, nowNanos, primary, generation, OptionalLong.empty(), false, false,
        nowNanos, Optional.empty(), Optional.empty(), OptionalLong.empty(), Optional.empty(),
        Optional.empty(), Convergence.UNASSIGNED, "starting");
  }

  public long generation() {
    return accepted.map(Assignment::generation).orElse(0L);
  }

  public boolean assignedPrimary() {
    return accepted.map(a -> a.goal() instanceof Goal.Primary).orElse(false);
  }

  public boolean assignedDrained() {
    return accepted.map(a -> a.goal() instanceof Goal.Drained).orElse(false);
  }

  public Optional<Upstream> assignedUpstream() {
    return accepted
        .map(Assignment::goal)
        .filter(Goal.Standby.class::isInstance)
        .map(goal -> ((Goal.Standby) goal).upstream());
  }

  /**
   * Whether PostgreSQL is kept down because the lease ran out under the primary role the agent
   * holds (or before it held any): it waits for the coordinator to renew the role or fail over.
   */
  public boolean fenced() {
    if (fencedGeneration.isEmpty()) {
      return false;
    }
    return accepted
        .map(a -> a.goal() instanceof Goal.Primary && a.generation() <= fencedGeneration.getAsLong())
        .orElse(true);
  }

  /** A newer assignment: the agent starts converging to it. */
  public AgentMemory accept(Assignment assignment, long nowNanos) {
    boolean primary = assignment.goal() instanceof Goal.Primary;
    return new AgentMemory(
        postgres, Optional.of(assignment), nowNanos,
        primary ? OptionalLong.of(assignment.generation()) : lastPrimaryGeneration,
        relinquished, fencedGeneration, stoppedByAgent, false, streamingSeenNanos,
        configuredUpstream, primary ? drainedAt : Optional.empty(),
        leavingUntilNanos, handover, restartRequest, convergence, detail);
  }

  /** A new observation of PostgreSQL. */
  public AgentMemory observed(PostgresStatus now, boolean running, boolean streaming, long nowNanos) {
    return new AgentMemory(
        now, accepted, acceptedAtNanos, lastPrimaryGeneration, relinquished, fencedGeneration,
        stoppedByAgent, ranSinceAssigned || running, streaming ? nowNanos : streamingSeenNanos,
        configuredUpstream, drainedAt, leavingUntilNanos, handover, restartRequest, convergence, detail);
  }

  /** The observation right after an action, before the next turn looks again. */
  public AgentMemory withPostgres(PostgresStatus now) {
    return new AgentMemory(
        now, accepted, acceptedAtNanos, lastPrimaryGeneration, relinquished, fencedGeneration,
        stoppedByAgent, ranSinceAssigned, streamingSeenNanos, configuredUpstream, drainedAt,
        leavingUntilNanos, handover, restartRequest, convergence, detail);
  }

  /**
   * The lease ran out while PostgreSQL may have been writable, and it was (or is being) fenced:
   * whoever fenced, it is down because of the lease, not because it crashed.
   */
  public AgentMemory fence() {
    long generation = Math.max(lastPrimaryGeneration.orElse(0L), fencedGeneration.orElse(0L));
    return new AgentMemory(
        postgres, accepted, acceptedAtNanos, lastPrimaryGeneration, relinquished,
        OptionalLong.of(generation), true, ranSinceAssigned, streamingSeenNanos,
        configuredUpstream, drainedAt, leavingUntilNanos, handover, restartRequest, convergence, detail);
  }

  /** Gives up, for good, being writable under this primary generation and any older one. */
  public AgentMemory relinquish(long generation) {
    long newest = Math.max(generation, relinquished.orElse(0L));
    return new AgentMemory(
        postgres, accepted, acceptedAtNanos, lastPrimaryGeneration, OptionalLong.of(newest),
        fencedGeneration, stoppedByAgent, ranSinceAssigned, streamingSeenNanos,
        configuredUpstream, drainedAt, leavingUntilNanos, handover, restartRequest, convergence, detail);
  }

  /** The agent stopped PostgreSQL itself (a drain, a demotion, a stop it was assigned). */
  public AgentMemory stopByAgent() {
    return withStopped(true);
  }

  /** PostgreSQL runs again, started by the agent: a stop from now on is a crash. */
  public AgentMemory startByAgent() {
    return withStopped(false);
  }

  private AgentMemory withStopped(boolean stopped) {
    return new AgentMemory(
        postgres, accepted, acceptedAtNanos, lastPrimaryGeneration, relinquished,
        fencedGeneration, stopped, ranSinceAssigned, streamingSeenNanos, configuredUpstream,
        drainedAt, leavingUntilNanos, handover, restartRequest, convergence, detail);
  }

  public AgentMemory configured(Optional<Upstream> upstream) {
    return new AgentMemory(
        postgres, accepted, acceptedAtNanos, lastPrimaryGeneration, relinquished,
        fencedGeneration, stoppedByAgent, ranSinceAssigned, streamingSeenNanos, upstream,
        drainedAt, leavingUntilNanos, handover, restartRequest, convergence, detail);
  }

  public AgentMemory drained(Optional<Lsn> position) {
    return new AgentMemory(
        postgres, accepted, acceptedAtNanos, lastPrimaryGeneration, relinquished,
        fencedGeneration, stoppedByAgent, ranSinceAssigned, streamingSeenNanos,
        configuredUpstream, position, leavingUntilNanos, handover, restartRequest, convergence, detail);
  }

  /** Whether the node is marked leaving (the mark is taken off when it expires). */
  public boolean leaving() {
    return leavingUntilNanos.isPresent();
  }

  /** Leaving until {@code untilNanos}; a later handover renews the mark. */
  public AgentMemory markLeaving(long untilNanos) {
    return new AgentMemory(
        postgres, accepted, acceptedAtNanos, lastPrimaryGeneration, relinquished,
        fencedGeneration, stoppedByAgent, ranSinceAssigned, streamingSeenNanos,
        configuredUpstream, drainedAt, OptionalLong.of(untilNanos), handover, restartRequest, convergence,
        detail);
  }

  /**
   * Leaving until {@code untilNanos}, and asking under {@code requestId} for the primary role to
   * be handed over.
   */
  public AgentMemory askHandover(String requestId, long untilNanos) {
    return new AgentMemory(
        postgres, accepted, acceptedAtNanos, lastPrimaryGeneration, relinquished,
        fencedGeneration, stoppedByAgent, ranSinceAssigned, streamingSeenNanos,
        configuredUpstream, drainedAt, OptionalLong.of(untilNanos), Optional.of(requestId),
        restartRequest, convergence, detail);
  }

  /** Without the leaving mark when it expired by {@code nowNanos}. */
  public AgentMemory leavingExpired(long nowNanos) {
    if (leavingUntilNanos.isEmpty() || nowNanos - leavingUntilNanos.getAsLong() < 0) {
      return this;
    }
    return new AgentMemory(
        postgres, accepted, acceptedAtNanos, lastPrimaryGeneration, relinquished,
        fencedGeneration, stoppedByAgent, ranSinceAssigned, streamingSeenNanos,
        configuredUpstream, drainedAt, OptionalLong.empty(), Optional.empty(), restartRequest,
        convergence, detail);
  }

  public AgentMemory restartRequested(Optional<String> why) {
    return new AgentMemory(
        postgres, accepted, acceptedAtNanos, lastPrimaryGeneration, relinquished,
        fencedGeneration, stoppedByAgent, ranSinceAssigned, streamingSeenNanos,
        configuredUpstream, drainedAt, leavingUntilNanos, handover, why, convergence, detail);
  }

  public AgentMemory report(Convergence status, String sentence) {
    return new AgentMemory(
        postgres, accepted, acceptedAtNanos, lastPrimaryGeneration, relinquished,
        fencedGeneration, stoppedByAgent, ranSinceAssigned, streamingSeenNanos,
        configuredUpstream, drainedAt, leavingUntilNanos, handover, restartRequest, status, sentence);
  }
}
