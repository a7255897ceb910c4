package io.baton.benchmark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Median, percentiles and range of a handful of measurements. Pure functions. */
public final class Statistics {
  private Statistics() {}

  /** The summary of {@code values}; empty when there are none. */
  public static Optional<Summary> summarize(List<Double> values) {
    if (values.isEmpty()) {
      return Optional.empty();
    }
    List<Double> sorted = sorted(values);
    return Optional.of(new Summary(sorted.size(), median(sorted), percentile(sorted, 99),
        sorted.get(0), sorted.get(sorted.size() - 1)));
  }

  /** The median; the mean of the two middle values for an even count. */
  public static double median(List<Double> values) {
    List<Double> sorted = sorted(values);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * The nearest-rank percentile: the smallest value with at least {@code percent}% of the values
   * at or below it. It is always a measured value, never an interpolation, which is honest for a
   * few runs (the p99 of 20 runs is their maximum).
   */
  public static double percentile(List<Double> values, double percent) {
    if (percent <= 0 || percent > 100) {
      throw new IllegalArgumentException("a percentile is in (0, 100], not " + percent);
    }
    List<Double> sorted = sorted(values);
    int rank = (int) Math.ceil(percent / 100 * sorted.size());
    return sorted.get(Math.max(rank, 1) - 1);
  }

  private static List<Double> sorted(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted;
  }
}
