package io.baton.benchmark;

import java.time.Duration;
import java.time.Instant;

/**
 * One moment on both of the machine's clocks, read back to back: the monotonic clock ({@link
 * System#nanoTime()}, CLOCK_MONOTONIC, which every probe stamps its attempts with, in any process)
 * and the wall clock ({@link Instant#now()}, CLOCK_REALTIME, which the in-process Kafka broker
 * stamps records with). A broker timestamp becomes a monotonic stamp through the moment nearest
 * to it, so the two clocks are related over seconds, not hours, and drift does not matter.
 */
public record Moment(long nanos, Instant wall) {

  public static Moment now() {
    long nanos = System.nanoTime();
    return new Moment(nanos, Instant.now());
  }

  /** From this moment to a wall-clock time (e.g. a broker timestamp); negative when before. */
  public Duration until(Instant later) {
    return Duration.between(wall, later);
  }

  /** From this moment to a monotonic stamp. */
  public Duration until(long laterNanos) {
    return Duration.ofNanos(laterNanos - nanos);
  }

  /** A wall-clock time as a monotonic stamp. */
  public long toNanos(Instant time) {
    return nanos + until(time).toNanos();
  }
}
