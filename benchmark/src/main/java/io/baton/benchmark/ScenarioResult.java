package io.baton.benchmark;

import io.baton.benchmark.scenarios.Scenario;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every run of one scenario, how long it all took, and the statistics over its good runs. */
public record ScenarioResult(Scenario scenario, int runsRequested, List<RunResult> runs,
    Duration took) {

  public ScenarioResult {
    runs = List.copyOf(runs);
  }

  public long succeeded() {
    return runs.stream().filter(RunResult::succeeded).count();
  }

  /** The summary of a metric over the successful runs that measured it. */
  public Optional<Summary> summary(Metric metric) {
    return Statistics.summarize(runs.stream().filter(RunResult::succeeded)
        .flatMap(r -> r.value(metric).stream()).toList());
  }

  /** Every metric some run measured, in the order of {@link Metric}. */
  public Map<Metric, Summary> summaries() {
    Map<Metric, Summary> all = new EnumMap<>(Metric.class);
    for (Metric metric : Metric.values()) {
      summary(metric).ifPresent(s -> all.put(metric, s));
    }
    return all;
  }

  public List<Target.Verdict> verdicts() {
    return scenario.targets().stream().map(t -> t.evaluate(summary(t.metric()))).toList();
  }
}
