package io.baton.agent.convergence;

import io.baton.events.Assignment;
import io.baton.events.Goal;
import io.baton.events.Lsn;
import io.baton.events.PostgresStatus;
import io.baton.events.Upstream;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything the convergence table decides on, gathered by the supervisor in one snapshot.
 *
 * @param assignment the newest assignment the agent accepted
 * @param leaseValid a heartbeat sent less than fence-after ago was acknowledged by Kafka: the
 *     node may accept writes
 * @param relinquishedGeneration the agent will not be writable under a primary assignment of this
 *     generation or older
 * @param lastPrimaryGeneration the newest primary assignment this agent accepted
 * @param fencedGeneration the lease ran out while PostgreSQL may have been writable under a
 *     primary assignment of this generation or older: never writable again under one of them;
 *     the coordinator renews the role under a newer generation, or fails over
 * @param possiblyWritable a postmaster runs on a data directory without {@code standby.signal}:
 *     it may accept writes whether or not the agent can log in to look
 * @param stoppedByAgent PostgreSQL is down because the agent stopped it (drain, fence, demotion)
 * @param ranSinceAssigned PostgreSQL was seen running since the assignment was accepted: if it is
 *     down now and the agent did not stop it, it crashed
 * @param assignedFor how long ago the assignment was accepted
 * @param notStreamingFor on a standby, how long its WAL receiver has not been streaming from the
 *     assigned upstream
 * @param upstreamReachable whether the assigned upstream answers (checked only when it matters)
 * @param configuredUpstream the upstream the agent last configured PostgreSQL to replicate from
 *     (the WAL receiver shows it only while connected, so it cannot tell)
 */
public record Situation(
    Optional<Assignment> assignment,
    PostgresStatus postgres,
    boolean leaseValid,
    OptionalLong relinquishedGeneration,
    OptionalLong lastPrimaryGeneration,
    OptionalLong fencedGeneration,
    boolean possiblyWritable,
    boolean stoppedByAgent,
    boolean ranSinceAssigned,
    Duration assignedFor,
    Duration notStreamingFor,
    boolean upstreamReachable,
    Optional<Upstream> configuredUpstream,
    Timings timings) {

  /** The agent's own timing knobs that the table needs. */
  public record Timings(Duration catchUpTimeout, Duration rewindAfter) {}

  public Observed observed() {
    return Observed.of(postgres);
  }

  public Optional<Goal> goal() {
    return assignment.map(Assignment::goal);
  }

  public long generation() {
    return assignment.map(Assignment::generation).orElse(0L);
  }

  public boolean relinquished(long generation) {
    return relinquishedGeneration.isPresent() && relinquishedGeneration.getAsLong() >= generation;
  }

  /** Whether the lease ran out under this primary generation (or a newer one). */
  public boolean fencedUnder(long generation) {
    return fencedGeneration.isPresent() && fencedGeneration.getAsLong() >= generation;
  }

  /** Whether the agent fenced PostgreSQL at some point and has not been writable since. */
  public boolean everFenced() {
    return fencedGeneration.isPresent();
  }

  /** Whether PostgreSQL went down on its own while this assignment was in force. */
  public boolean crashed() {
    return ranSinceAssigned && !stoppedByAgent;
  }

  public boolean streamsFrom(Upstream upstream) {
    return postgres.receiver().filter(r -> r.isStreamingFrom(upstream.host(), upstream.port())).isPresent();
  }

  /** Whether PostgreSQL is configured to replicate from this upstream, streaming or not. */
  public boolean pointsAt(Upstream upstream) {
    return configuredUpstream.filter(upstream::equals).isPresent() || streamsFrom(upstream);
  }

  public Lsn received() {
    return postgres.receivedLsn().or(postgres::replayedLsn).orElse(Lsn.ZERO);
  }
}
