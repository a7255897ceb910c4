package io.baton.agent.supervisor;

import io.baton.agent.clock.Clocks;
import java.time.Duration;

/** Clocks a test moves by hand; a suspension moves the boot clock alone. */
final class ManualClocks implements Clocks {
  private long monotonic = 1_000_000_000L;
  private long boot = 5_000_000_000L;

  @Override
  public long monotonicNanos() {
    return monotonic;
  }

  @Override
  public long bootNanos() {
    return boot;
  }

  void advance(Duration elapsed) {
    monotonic += elapsed.toNanos();
    boot += elapsed.toNanos();
  }

  void suspend(Duration suspended) {
    boot += suspended.toNanos();
  }
}
