package io.baton.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetTest {
  private static final Optional<Summary> RUNS =
      Optional.of(new Summary(5, 1200.0, 2500.0, 900.0, 2500.0));

  @Test
  void aTargetIsJudgedOnItsStatisticAndIncludesTheLimit() {
    assertTrue(Target.median(Metric.OUTAGE, 1200).evaluate(RUNS).pass());
    assertFalse(Target.max(Metric.OUTAGE, 2000).evaluate(RUNS).pass());
    assertEquals(Optional.of(2500.0), Target.p99(Metric.OUTAGE, 100).evaluate(RUNS).value());
  }

  @Test
  void noSuccessfulRunIsAMiss() {
    Target.Verdict verdict = Target.max(Metric.LOST_WRITES, 0).evaluate(Optional.empty());
    assertFalse(verdict.pass());
    assertEquals("MISS", verdict.status());
  }

  @Test
  void targetsReadAsPeopleWriteThem() {
    assertEquals("write outage median <= 3.00 s", Target.median(Metric.OUTAGE, 3000).describe());
    assertEquals("lost writes max <= 0", Target.max(Metric.LOST_WRITES, 0).describe());
    assertEquals("listener call p99 <= 100 ms", Target.p99(Metric.LISTENER, 100).describe());
  }
}
