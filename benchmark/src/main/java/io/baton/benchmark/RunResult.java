package io.baton.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of a scenario: its measurements, remarks worth a line (an unexpected candidate, two
 * outages in one run), or why it failed. A failed run has no values and counts in no statistic.
 *
 * @param values durations in milliseconds, counts as counts
 */
public record RunResult(int run, Map<Metric, Double> values, List<String> notes,
    Optional<String> error) {

  public RunResult {
    values = Map.copyOf(values);
    notes = List.copyOf(notes);
  }

  public static RunResult failed(int run, String error) {
    return new RunResult(run, Map.of(), List.of(), Optional.of(error));
  }

  public boolean succeeded() {
    return error.isEmpty();
  }

  public Optional<Double> value(Metric metric) {
    return Optional.ofNullable(values.get(metric));
  }

  public static Builder builder(int run) {
    return new Builder(run);
  }

  /** Collects a run's measurements as the scenario takes them. */
  public static final class Builder {
    private final int run;
    private final Map<Metric, Double> values = new EnumMap<>(Metric.class);
    private final List<String> notes = new ArrayList<>();

    private Builder(int run) {
      this.run = run;
    }

    public Builder duration(Metric metric, Duration duration) {
      if (metric.unit() != Metric.Unit.MILLIS) {
        throw new IllegalArgumentException(metric + " is not a duration");
      }
      values.put(metric, duration.toNanos() / 1_000_000.0);
      return this;
    }

    public Builder count(Metric metric, long count) {
      if (metric.unit() != Metric.Unit.COUNT) {
        throw new IllegalArgumentException(metric + " is not a count");
      }
      values.put(metric, (double) count);
      return this;
    }

    public Builder note(String note) {
      notes.add(note);
      return this;
    }

    public RunResult build() {
      return new RunResult(run, values, notes, Optional.empty());
    }
  }
}
