package io.baton.testkit.probe;

import java.time.Duration;
import java.util.Optional;

/**
 * One write attempt of the probe: connect if needed, then insert one row.
 *
 * @param seq the sequence number it tried to insert
 * @param startNanos {@link System#nanoTime()} before connecting or inserting
 * @param endNanos {@link System#nanoTime()} when acknowledged or failed
 * @param outcome whether the server acknowledged the commit
 * @param error for a failure, what failed ({@code connect:} or {@code insert:}) and why
 */
public record Attempt(long seq, long startNanos, long endNanos, Outcome outcome,
    Optional<String> error) {

  /** An attempt's result. A failed insert may still have committed: its row is unknown, not lost. */
  public enum Outcome {
    ACK,
    FAILED
  }

  public static Attempt acknowledged(long seq, long startNanos, long endNanos) {
    return new Attempt(seq, startNanos, endNanos, Outcome.ACK, Optional.empty());
  }

  public static Attempt failed(long seq, long startNanos, long endNanos, String error) {
    return new Attempt(seq, startNanos, endNanos, Outcome.FAILED, Optional.of(error));
  }

  public boolean isAcknowledged() {
    return outcome == Outcome.ACK;
  }

  public Duration duration() {
    return Duration.ofNanos(endNanos - startNanos);
  }
}
