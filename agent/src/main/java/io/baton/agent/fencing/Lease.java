package io.baton.agent.fencing;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * Turns the broker's acknowledgements of heartbeats into the right to accept writes.
 *
 * <p>The lease of a heartbeat starts when it was <em>sent</em> (the agent's monotonic clock): the
 * broker appended it later than that, so the coordinator, which counts {@code failover-after}
 * from the append time, cannot declare this node lost before {@code sent + failover-after}; the
 * agent fences at {@code sent + fence-after}, earlier by the fencing margin.
 *
 * <p>Every renewal is passed at once to a listener (the watchdog process), so the watchdog's
 * deadline moves with each acknowledgement, not only when the agent's loop gets round to it.
 */
public final class Lease {
  private final Duration fenceAfter;
  private final LongConsumer onRenewed;
  private OptionalLong lastAcknowledgedSentNanos = OptionalLong.empty();
  private long voidBeforeNanos = Long.MIN_VALUE;
  private boolean everVoided;

  /** @param onRenewed gets the new deadline ({@link System#nanoTime()}) after each renewal */
  public Lease(Duration fenceAfter, LongConsumer onRenewed) {
    this.fenceAfter = fenceAfter;
    this.onRenewed = onRenewed;
  }

  public Duration fenceAfter() {
    return fenceAfter;
  }

  /** A heartbeat sent at {@code sentNanos} ({@link System#nanoTime()}) was acknowledged. */
  public void acknowledged(long sentNanos) {
    long deadline;
    synchronized (this) {
      if (everVoided && sentNanos - voidBeforeNanos < 0) {
        return;
      }
      if (lastAcknowledgedSentNanos.isPresent()
          && sentNanos - lastAcknowledgedSentNanos.getAsLong() <= 0) {
        return;
      }
      lastAcknowledgedSentNanos = OptionalLong.of(sentNanos);
      deadline = sentNanos + fenceAfter.toNanos();
    }
    onRenewed.accept(deadline);
  }

  /**
   * Ends the lease now: acknowledgements of heartbeats sent before {@code nowNanos} no longer
   * count. The machine was suspended, so how long ago they were sent is unknown.
   */
  public synchronized void voidNow(long nowNanos) {
    lastAcknowledgedSentNanos = OptionalLong.empty();
    voidBeforeNanos = nowNanos;
    everVoided = true;
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

  /** Whether the lease ran out (it existed and its deadline passed) at {@code nowNanos}. */
  public synchronized boolean ranOut(long nowNanos) {
    return !valid(nowNanos) && (lastAcknowledgedSentNanos.isPresent() || everVoided);
  }
}
