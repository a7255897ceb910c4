package io.baton.coordinator.clock;

import java.time.Duration;
import java.time.Instant;

/**
 * The one clock failure detection runs on, kept per heartbeats partition (every cluster lives in
 * one, with its agents' heartbeats and the coordinator's clock ticks): the broker append times of
 * the partition's records, in partition order, with two corrections.
 *
 * <ul>
 *   <li>It never goes back. Append times are not monotonic across partition leader changes (each
 *       broker stamps with its own clock): a step back counts as no time at all.
 *   <li>It advances by at most {@code maxStep} per record. Ticks are appended every tick interval,
 *       so a longer step means the whole partition was silent (Kafka was down or paused, the
 *       coordinator's ticks were not appended) or a broker's clock jumped ahead. Neither is a sign
 *       that any one node stopped: the excess is not counted as anyone's silence. Each such step
 *       can make the clock run ahead of real time by {@code maxStep} at most, which the fencing
 *       margin covers.
 * </ul>
 *
 * <p>Requests (another topic, maybe another broker's clock) never move it. Decisions on one
 * cluster therefore see one non-decreasing clock, and a restarted or lagging coordinator computes
 * the same clock from the same records.
 *
 * @param now the clock's reading
 * @param lastAppend the append time of the last record read
 * @param uncounted how much broker time was left out so far (silences and jumps), for people
 */
public record LivenessClock(Instant now, Instant lastAppend, Duration uncounted) {

  /** The clock at the first record of a partition. */
  public static LivenessClock startingAt(Instant append) {
    return new LivenessClock(append, append, Duration.ZERO);
  }

  /** The clock after one more record of the partition, appended at {@code append}. */
  public LivenessClock advance(Instant append, Duration maxStep) {
    Duration step = Duration.between(lastAppend, append);
    Duration counted = step.isNegative() ? Duration.ZERO : min(step, maxStep);
    Duration left = step.isNegative() ? Duration.ZERO : step.minus(counted);
    return new LivenessClock(now.plus(counted), append, uncounted.plus(left));
  }

  /** Broker time between the last two records that this clock did not count. */
  public Duration leftOutSince(LivenessClock before) {
    return uncounted.minus(before.uncounted);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
