package io.baton.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StatisticsTest {
  @Test
  void theMedianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
    assertEquals(3.0, Statistics.median(List.of(5.0, 1.0, 3.0)));
    assertEquals(7.0, Statistics.median(List.of(7.0)));
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
    assertEquals(2.5, Statistics.median(List.of(4.0, 1.0, 3.0, 2.0)));
  }

  @Test
  void p99IsANearestRankValueNeverAnInterpolation() {
    List<Double> twenty = IntStream.rangeClosed(1, 20).mapToObj(i -> (double) i).toList();
    assertEquals(20.0, Statistics.percentile(twenty, 99), "with 20 values the p99 is the max");
    List<Double> hundred = new ArrayList<>(
        IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList());
    Collections.shuffle(hundred);
    assertEquals(99.0, Statistics.percentile(hundred, 99));
    assertEquals(50.0, Statistics.percentile(hundred, 50));
    assertEquals(1.0, Statistics.percentile(hundred, 1));
    assertEquals(100.0, Statistics.percentile(hundred, 100));
  }

  @Test
  void aSummaryHasCountMedianP99MinAndMax() {
    Summary summary = Statistics.summarize(List.of(1200.0, 900.0, 3000.0, 1100.0, 1000.0))
        .orElseThrow();
    assertEquals(new Summary(5, 1100.0, 3000.0, 900.0, 3000.0), summary);
  }

  @Test
  void noValuesGiveNoSummaryAndNoMedian() {
    assertTrue(Statistics.summarize(List.of()).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> Statistics.median(List.of()));
    assertThrows(IllegalArgumentException.class, () -> Statistics.percentile(List.of(1.0), 0));
    assertThrows(IllegalArgumentException.class, () -> Statistics.percentile(List.of(1.0), 101));
  }
}
