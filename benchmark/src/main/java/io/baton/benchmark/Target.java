package io.baton.benchmark;

import java.util.Optional;

/**
 * A figure a scenario should reach, printed next to the result as PASS or MISS; a miss never
 * fails the run.
 *
 * @param limit in the metric's unit (milliseconds for durations); the target is {@code value <=
 *     limit}
 */
public record Target(Metric metric, Statistic statistic, double limit) {

  /** Which figure of the runs the limit applies to. */
  public enum Statistic {
    MEDIAN("median"),
    P99("p99"),
    MAX("max");

    private final String label;

    Statistic(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    double of(Summary summary) {
      return switch (this) {
        case MEDIAN -> summary.median();
        case P99 -> summary.p99();
        case MAX -> summary.max();
      };
    }
  }

  public static Target median(Metric metric, double limit) {
    return new Target(metric, Statistic.MEDIAN, limit);
  }

  public static Target p99(Metric metric, double limit) {
    return new Target(metric, Statistic.P99, limit);
  }

  public static Target max(Metric metric, double limit) {
    return new Target(metric, Statistic.MAX, limit);
  }

  /** E.g. {@code write outage median <= 3.00 s}. */
  public String describe() {
    return metric.label() + " " + statistic.label() + " <= " + metric.format(limit);
  }

  /** The verdict on a summary; no summary (no successful run) is a miss. */
  public Verdict evaluate(Optional<Summary> summary) {
    Optional<Double> value = summary.map(statistic::of);
    return new Verdict(this, value, value.filter(v -> v <= limit).isPresent());
  }

  /** A target with the value it was judged on. */
  public record Verdict(Target target, Optional<Double> value, boolean pass) {
    public String status() {
      return pass ? "PASS" : "MISS";
    }

    /** E.g. {@code PASS  write outage median <= 3.00 s: 1.21 s}. */
    public String describe() {
      return status() + "  " + target.describe() + ": "
          + value.map(target.metric()::format).orElse("no successful run");
    }
  }
}
