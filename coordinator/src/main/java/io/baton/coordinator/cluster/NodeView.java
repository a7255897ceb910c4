package io.baton.coordinator.cluster;

import io.baton.events.AgentStatus;
import io.baton.events.Assignment;
import io.baton.events.Goal;
import io.baton.events.Heartbeat;
import io.baton.events.Lsn;
import io.baton.events.PostgresStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The coordinator's view of one node.
 *
 * @param heartbeat the newest heartbeat
 * @param lastSeen broker append time of that heartbeat
 * @param lastKnownWal the WAL position of the last heartbeat in which PostgreSQL was up: after a
 *     crash the data directory only knows its last checkpoint, which says nothing of how much WAL
 *     was written since
 * @param lost declared lost: no heartbeat for the failover timeout of broker time
 * @param unhealthySince broker time since when PostgreSQL has been reported not serving
 * @param assignment the newest assignment the coordinator issued to it
 * @param lastPrimaryGeneration the generation of the newest primary assignment it was ever
 *     given: its agent relinquishing that generation means it will not accept writes again
 * @param rejoining it was a primary and has been told to follow the new one, but has not yet
 *     been seen streaming from it
 * @param streamingFrom the node it was last seen streaming from
 * @param marginWarned whether the fencing-margin warning was already emitted for it
 * @param retiredIncarnations the agent processes it had before the current one, newest last (at
 *     most {@link #RETIRED_INCARNATIONS}): a heartbeat of one of them is old, however it got on
 *     the topic again, so a replayed heartbeat cannot make a dead node look alive
 */
public record NodeView(
    String name,
    Heartbeat heartbeat,
    Instant lastSeen,
    Lsn lastKnownWal,
    boolean lost,
    Optional<Instant> unhealthySince,
    Optional<Assignment> assignment,
    Optional<Long> lastPrimaryGeneration,
    boolean rejoining,
    Optional<String> streamingFrom,
    boolean marginWarned,
    List<String> retiredIncarnations) {

  public static final int RETIRED_INCARNATIONS = 16;

  public NodeView {
    retiredIncarnations = retiredIncarnations == null ? List.of() : List.copyOf(retiredIncarnations);
    unhealthySince = unhealthySince == null ? Optional.empty() : unhealthySince;
    assignment = assignment == null ? Optional.empty() : assignment;
    lastPrimaryGeneration = lastPrimaryGeneration == null ? Optional.empty() : lastPrimaryGeneration;
    streamingFrom = streamingFrom == null ? Optional.empty() : streamingFrom;
  }

  public static NodeView first(Heartbeat heartbeat, Instant seenAt) {
    return new NodeView(
        heartbeat.node(), heartbeat, seenAt, heartbeat.postgres().walPosition().orElse(Lsn.ZERO),
        false, Optional.empty(), Optional.empty(),
        Optional.empty(), false, Optional.empty(), false, List.of());
  }

  public PostgresStatus postgres() {
    return heartbeat.postgres();
  }

  public AgentStatus agent() {
    return heartbeat.agent();
  }

  /** Broker time since the last heartbeat; zero if the clock has not moved past it. */
  public Duration silentFor(Instant now) {
    Duration silence = Duration.between(lastSeen, now);
    return silence.isNegative() ? Duration.ZERO : silence;
  }

  /** Whether its agent accepted the assignment of this generation, or a newer one. */
  public boolean accepted(long generation) {
    return agent().assignment().map(ref -> ref.generation() >= generation).orElse(false);
  }

  /** Whether its agent gave up, for good, the newest primary role it was assigned. */
  public boolean relinquishedPrimary() {
    return lastPrimaryGeneration.map(g -> agent().relinquished(g)).orElse(false);
  }

  public Optional<Goal> goal() {
    return assignment.map(Assignment::goal);
  }

  /** The furthest WAL position the node is known to hold. */
  public Lsn walPosition() {
    return postgres().walPosition().orElse(Lsn.ZERO);
  }

  public long timeline() {
    return postgres().timeline().orElse(0);
  }

  public NodeView withHeartbeat(Heartbeat newer, Instant seenAt) {
    Lsn known =
        newer.postgres().health() == io.baton.events.Health.UP
            ? newer.postgres().walPosition().orElse(lastKnownWal)
            : lastKnownWal;
    return new NodeView(
        name, newer, seenAt, known, lost, unhealthySince, assignment, lastPrimaryGeneration, rejoining,
        streamingFrom, marginWarned, retired(newer));
  }

  /** Whether the heartbeat comes from an agent process this node has had before the current one. */
  public boolean fromRetiredIncarnation(Heartbeat other) {
    return retiredIncarnations.contains(other.incarnation());
  }

  private List<String> retired(Heartbeat newer) {
    if (newer.incarnation().equals(heartbeat.incarnation())) {
      return retiredIncarnations;
    }
    List<String> retired = new ArrayList<>(retiredIncarnations);
    retired.remove(heartbeat.incarnation());
    retired.add(heartbeat.incarnation());
    return retired.subList(Math.max(0, retired.size() - RETIRED_INCARNATIONS), retired.size());
  }

  public NodeView withLost(boolean isLost) {
    return new NodeView(
        name, heartbeat, lastSeen, lastKnownWal, isLost, unhealthySince, assignment, lastPrimaryGeneration,
        rejoining, streamingFrom, marginWarned, retiredIncarnations);
  }

  public NodeView withUnhealthySince(Optional<Instant> since) {
    return new NodeView(
        name, heartbeat, lastSeen, lastKnownWal, lost, since, assignment, lastPrimaryGeneration, rejoining,
        streamingFrom, marginWarned, retiredIncarnations);
  }

  /** Records an assignment; a primary one is remembered, and leaving the primary role marks it rejoining. */
  public NodeView withAssignment(Assignment issued) {
    boolean primary = issued.goal() instanceof Goal.Primary;
    boolean wasPrimary =
        goal().filter(g -> g instanceof Goal.Primary || g instanceof Goal.Drained).isPresent();
    return new NodeView(
        name, heartbeat, lastSeen, lastKnownWal, lost, unhealthySince, Optional.of(issued),
        primary ? Optional.of(issued.generation()) : lastPrimaryGeneration,
        !primary && (rejoining || wasPrimary || postgres().isRunningPrimary()),
        streamingFrom, marginWarned, retiredIncarnations);
  }

  public NodeView withStreamingFrom(Optional<String> upstream, boolean stillRejoining) {
    return new NodeView(
        name, heartbeat, lastSeen, lastKnownWal, lost, unhealthySince, assignment, lastPrimaryGeneration,
        stillRejoining, upstream, marginWarned, retiredIncarnations);
  }

  public NodeView withMarginWarned() {
    return new NodeView(
        name, heartbeat, lastSeen, lastKnownWal, lost, unhealthySince, assignment, lastPrimaryGeneration,
        rejoining, streamingFrom, true, retiredIncarnations);
  }
}
