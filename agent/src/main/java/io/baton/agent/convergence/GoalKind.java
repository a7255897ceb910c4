package io.baton.agent.convergence;

import io.baton.events.Goal;
import java.util.Optional;

/** The assigned goal, as a column of the convergence table. */
public enum GoalKind {
  /** No assignment yet. */
  NONE,
  PRIMARY,
  STANDBY,
  DRAINED,
  STOPPED;

  public static GoalKind of(Optional<Goal> goal) {
    if (goal.isEmpty()) {
      return NONE;
    }
    Goal g = goal.get();
    if (g instanceof Goal.Primary) {
      return PRIMARY;
    }
    if (g instanceof Goal.Standby) {
      return STANDBY;
    }
    if (g instanceof Goal.Drained) {
      return DRAINED;
    }
    if (g instanceof Goal.Stopped) {
      return STOPPED;
    }
    throw new IllegalArgumentException("no column of the convergence table for goal " + g.state());
  }
}
