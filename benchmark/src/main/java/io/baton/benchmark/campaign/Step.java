package io.baton.benchmark.campaign;

import io.baton.events.Amounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One step of the schedule: one or two faults, overlapping in time, then, once the cluster
 * converged, a pause before the next step.
 *
 * @param number counting from 1
 */
public record Step(int number, List<PlannedFault> faults, Duration pauseAfter) {
  public Step {
    faults = List.copyOf(faults);
  }

  /** Injecting or healing one of the step's faults, at a time since the step began. */
  public record Action(Duration at, int fault, boolean inject) {}

  /** Every inject and heal of the step, in time order. */
  public List<Action> actions() {
    List<Action> actions = new ArrayList<>();
    for (int i = 0; i < faults.size(); i++) {
      actions.add(new Action(faults.get(i).offset(), i, true));
      actions.add(new Action(faults.get(i).healAt(), i, false));
    }
    actions.sort(Comparator.comparing(Action::at));
    return actions;
  }

  public String describe() {
    return "step " + number + ": " + faults.stream().map(PlannedFault::describe)
        .collect(Collectors.joining("; and ")) + "; then a pause of "
        + Amounts.seconds(pauseAfter);
  }
}
