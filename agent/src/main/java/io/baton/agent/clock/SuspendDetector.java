package io.baton.agent.clock;

import java.time.Duration;

/**
 * Notices that the machine was suspended (a paused VM, a laptop lid): between two looks the boot
 * clock moved further than the monotonic clock by more than a threshold. Not thread-safe: one
 * thread looks.
 */
public final class SuspendDetector {
  /** Both clocks are read a few microseconds apart and the boot clock ticks in 10 ms steps. */
  public static final Duration DEFAULT_THRESHOLD = Duration.ofMillis(250);

  private final Clocks clocks;
  private final long thresholdNanos;
  private long lastMonotonic;
  private long lastBoot;

  public SuspendDetector(Clocks clocks, Duration threshold) {
    this.clocks = clocks;
    this.thresholdNanos = threshold.toNanos();
    this.lastMonotonic = clocks.monotonicNanos();
    this.lastBoot = clocks.bootNanos();
  }

  /** How long the machine was suspended since the last look; zero when it was not. */
  public Duration suspendedSinceLastLook() {
    long monotonic = clocks.monotonicNanos();
    long boot = clocks.bootNanos();
    long hidden = (boot - lastBoot) - (monotonic - lastMonotonic);
    lastMonotonic = monotonic;
    lastBoot = boot;
    return hidden > thresholdNanos ? Duration.ofNanos(hidden) : Duration.ZERO;
  }
}
