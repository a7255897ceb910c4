package io.baton.benchmark.campaign.check;

import io.baton.testkit.probe.Attempt;

/**
 * One write attempt of a campaign's writer. Stamps are CLOCK_MONOTONIC nanoseconds ({@link
 * System#nanoTime()}), which every process on the machine shares, in every network namespace.
 *
 * @param seq the row's sequence number in its writer's run
 * @param startNanos before connecting or inserting
 * @param endNanos when acknowledged or failed
 */
public record Write(long seq, long startNanos, long endNanos, WriteOutcome outcome) {
  public Write {
    if (endNanos - startNanos < 0) {
      throw new IllegalArgumentException("write " + seq + " ends before it starts");
    }
  }

  public static Write of(Attempt attempt) {
    return new Write(attempt.seq(), attempt.startNanos(), attempt.endNanos(),
        WriteOutcome.of(attempt));
  }

  public boolean isAcknowledged() {
    return outcome == WriteOutcome.ACKNOWLEDGED;
  }
}
