package io.baton.benchmark.campaign.check;

/**
 * A span of CLOCK_MONOTONIC time, {@code [fromNanos, toNanos]}: in the campaign, a span in which
 * the cluster ran in synchronous mode with a confirmed synchronous standby, so a write
 * acknowledged in it must survive any failover.
 */
public record Window(long fromNanos, long toNanos) {
  public Window {
    if (toNanos - fromNanos < 0) {
      throw new IllegalArgumentException("a window ends before it starts");
    }
  }

  public boolean contains(long nanos) {
    return nanos - fromNanos >= 0 && toNanos - nanos >= 0;
  }
}
