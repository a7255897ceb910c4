package io.baton.subscribers.testing;

import io.baton.testkit.probe.Attempt;
import io.baton.testkit.probe.WriteProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/** Polling with a deadline, and the publish-to-first-write measurement of the proxy tests. */
public final class Waits {
  private Waits() {}

  public static void until(Callable<Boolean> condition, Duration timeout, String what)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      Thread.sleep(20);
    }
  }

  /**
   * From a broker timestamp (wall clock, ms) to the end of the probe attempt that wrote {@code
   * seq} (monotonic clock): both clocks are related once, here.
   */
  public static Duration publishToWrite(Instant published, WriteProbe probe, long seq) {
    long wallToNanos = System.nanoTime() - System.currentTimeMillis() * 1_000_000L;
    long publishedNanos = published.toEpochMilli() * 1_000_000L + wallToNanos;
    Attempt attempt = probe.attempts().stream().filter(a -> a.seq() == seq).findFirst()
        .orElseThrow(() -> new AssertionError("no probe attempt with seq " + seq));
    return Duration.ofNanos(attempt.endNanos() - publishedNanos);
  }
}
