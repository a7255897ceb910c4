package io.baton.testkit.probe;

import java.time.Duration;

/**
 * A write outage as the benchmark defines it: from the start of the first failed attempt
 * (connect or insert) to the acknowledgement of the next successful insert.
 *
 * @param startNanos {@link System#nanoTime()} at the start of the first failed attempt
 * @param endNanos {@link System#nanoTime()} when the next successful insert was acknowledged
 * @param failedAttempts how many attempts failed in between
 * @param firstError why the first attempt failed
 */
public record Outage(long startNanos, long endNanos, int failedAttempts, String firstError) {
  public Duration duration() {
    return Duration.ofNanos(endNanos - startNanos);
  }
}
