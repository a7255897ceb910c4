package io.baton.agent.fencing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns the broker's acknowledgements of heartbeats into the right to accept writes.
 *
 * <p>The lease of a heartbeat starts when it was <em>sent</em> (the agent's monotonic clock): the
 * broker appended it later than that, so the coordinator, which counts {@code failover-after}
 * from the append time, cannot declare this node lost before {@code sent + failover-after}; the
 * agent fences at {@code sent + fence-after}, earlier by the fencing margin.
 *
 * <p>Acknowledged append times also prove, after a cut, whether the coordinator could have
 * declared this node lost: only if two consecutive acknowledged heartbeats are {@code
 * failover-after} or more apart in broker time. Records are decided in partition order, and the
 * heartbeats of a cluster share one partition, so nothing decided between them saw a longer gap.
 */
public final class Lease {
  private final Duration fenceAfter;
  private OptionalLong lastAcknowledgedSentNanos = OptionalLong.empty();
  private Optional<Instant> lastAppendTime = Optional.empty();
  private boolean gapSeen;

  public Lease(Duration fenceAfter) {
    this.fenceAfter = fenceAfter;
  }

  public Duration fenceAfter() {
    return fenceAfter;
  }

  /**
   * A heartbeat sent at {@code sentNanos} ({@link System#nanoTime()}) was appended at {@code
   * appendTime}; {@code failoverAfter} is the coordinator's, from the latest assignment, if known.
   */
  public synchronized void acknowledged(
      long sentNanos, Instant appendTime, Optional<Duration> failoverAfter) {
    if (lastAppendTime.isPresent() && failoverAfter.isPresent()
        && Duration.between(lastAppendTime.get(), appendTime).compareTo(failoverAfter.get()) >= 0) {
      gapSeen = true;
    }
    if (lastAppendTime.isEmpty() || appendTime.isAfter(lastAppendTime.get())) {
      lastAppendTime = Optional.of(appendTime);
    }
    if (lastAcknowledgedSentNanos.isEmpty() || sentNanos - lastAcknowledgedSentNanos.getAsLong() > 0) {
      lastAcknowledgedSentNanos = OptionalLong.of(sentNanos);
    }
  }

  /** Whether PostgreSQL may accept writes at {@code nowNanos}. */
  public synchronized boolean valid(long nowNanos) {
    return lastAcknowledgedSentNanos.isPresent()
        && nowNanos - lastAcknowledgedSentNanos.getAsLong() < fenceAfter.toNanos();
  }

  /** When the lease ends, in {@link System#nanoTime()}; empty before the first acknowledgement. */
  public synchronized OptionalLong deadlineNanos() {
    return lastAcknowledgedSentNanos.isPresent()
        ? OptionalLong.of(lastAcknowledgedSentNanos.getAsLong() + fenceAfter.toNanos())
        : OptionalLong.empty();
  }

  /** Whether a gap of failover-after or more was seen since the last call, clearing it. */
  public synchronized boolean takeGap() {
    boolean seen = gapSeen;
    gapSeen = false;
    return seen;
  }

  /** Broker time of the newest acknowledged heartbeat. */
  public synchronized Optional<Instant> lastAppendTime() {
    return lastAppendTime;
  }
}
