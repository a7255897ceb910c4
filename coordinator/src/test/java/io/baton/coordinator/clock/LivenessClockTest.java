package io.baton.coordinator.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LivenessClockTest {
  private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
  private static final Duration MAX_STEP = Duration.ofMillis(500);

  private static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  @Test
  void followsAppendTimesWhileRecordsArriveEveryTick() {
    LivenessClock clock = LivenessClock.startingAt(at(0));
    for (long t = 100; t <= 5000; t += 100) {
      clock = clock.advance(at(t), MAX_STEP);
    }
    assertEquals(at(5000), clock.now());
    assertEquals(Duration.ZERO, clock.uncounted());
  }

  @Test
  void neverGoesBackWhenAppendTimesDo() {
    LivenessClock clock = LivenessClock.startingAt(at(10_000)).advance(at(2_000), MAX_STEP);
    assertEquals(at(10_000), clock.now());
    clock = clock.advance(at(2_100), MAX_STEP);
    assertEquals(at(10_100), clock.now(), "steps are counted from the new leader's times on");
  }

  @Test
  void countsAtMostOneStepOfASilenceOrALeap() {
    LivenessClock before = LivenessClock.startingAt(at(0));
    LivenessClock after = before.advance(at(30_000), MAX_STEP);
    assertEquals(at(500), after.now());
    assertEquals(Duration.ofMillis(29_500), after.leftOutSince(before));
  }
}
