package io.baton.agent.convergence;

import static io.baton.agent.convergence.Situations.N2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.baton.events.Convergence;
import io.baton.events.Goal;
import io.baton.events.Health;
import io.baton.events.PostgresStatus;
import io.baton.events.Upstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The cross-check pg_auto_failover learned it needed: every goal the coordinator can assign (every
 * subtype of {@link Goal}) has a cell for every state PostgreSQL can be in, and walking the table
 * against a model of PostgreSQL reaches the goal from each of them.
 */
class ConvergenceReachabilityTest {
  private static final Upstream N1 = new Upstream("n1", "127.0.0.1", 5431);

  /** A model of a PostgreSQL node, changed by the actions as the real one would be. */
  private record Model(
      Observed kind,
      boolean clean,
      Optional<Upstream> upstream,
      boolean streaming,
      String synchronousStandbyNames,
      OptionalLong relinquished,
      boolean stoppedByAgent,
      boolean ran,
      Duration notStreamingFor) {

    PostgresStatus status() {
      switch (kind) {
        case RUNNING_PRIMARY:
          return Situations.runningPrimary(synchronousStandbyNames);
        case RUNNING_STANDBY:
          return Situations.runningStandby(upstream, streaming, "0/3000300");
        case STOPPED_PRIMARY:
          return Situations.stopped(clean ? "shut down" : "in production", false);
        case STOPPED_STANDBY:
          return Situations.stopped(clean ? "shut down in recovery" : "in archive recovery", true);
        case STARTING:
          return Situations.health(Health.STARTING);
        case UNREACHABLE:
          return Situations.health(Health.UNREACHABLE);
        default:
          return Situations.unreadable();
      }
    }

    Model with(Observed next, boolean isClean, boolean byAgent, boolean hasRun) {
      return new Model(next, isClean, upstream, streaming, synchronousStandbyNames, relinquished, byAgent, hasRun, Duration.ZERO);
    }

    Model apply(Action action) {
      if (action instanceof Action.Fence || action instanceof Action.StopCleanly) {
        boolean standby = kind == Observed.RUNNING_STANDBY || kind == Observed.STOPPED_STANDBY;
        return with(standby ? Observed.STOPPED_STANDBY : Observed.STOPPED_PRIMARY,
            action instanceof Action.StopCleanly, true, ran);
      }
      if (action instanceof Action.StartPrimary start) {
        return new Model(Observed.RUNNING_PRIMARY, false, Optional.empty(), false,
            start.synchronousStandbyNames(), relinquished, false, true, Duration.ZERO);
      }
      if (action instanceof Action.StartStandby start) {
        Optional<Upstream> next = start.upstream().or(() -> upstream);
        return new Model(Observed.RUNNING_STANDBY, false, next, next.isPresent(), "",
            relinquished, false, true, Duration.ZERO);
      }
      if (action instanceof Action.Promote) {
        return new Model(Observed.RUNNING_PRIMARY, false, Optional.empty(), false, "",
            relinquished, false, true, Duration.ZERO);
      }
      if (action instanceof Action.Follow follow) {
        return new Model(kind, clean, Optional.of(follow.upstream()), true, synchronousStandbyNames,
            relinquished, stoppedByAgent, ran, Duration.ZERO);
      }
      if (action instanceof Action.Rejoin rejoin) {
        return new Model(Observed.RUNNING_STANDBY, false, Optional.of(rejoin.upstream()), true, "",
            relinquished, false, true, Duration.ZERO);
      }
      if (action instanceof Action.ApplySynchronousStandbyNames apply) {
        return new Model(kind, clean, upstream, streaming, apply.value(), relinquished, stoppedByAgent, ran, Duration.ZERO);
      }
      if (action instanceof Action.Relinquish relinquish) {
        return new Model(kind, clean, upstream, streaming, synchronousStandbyNames,
            OptionalLong.of(relinquish.generation()), stoppedByAgent, ran, Duration.ZERO);
      }
      if (kind == Observed.RUNNING_STANDBY && !streaming) {
        // Time passes while it waits; a receiver that stays down eventually triggers a rewind.
        return new Model(kind, clean, upstream, streaming, synchronousStandbyNames, relinquished,
            stoppedByAgent, ran, notStreamingFor.plusSeconds(5));
      }
      if (kind == Observed.STARTING) {
        return new Model(Observed.RUNNING_STANDBY, false, upstream, upstream.isPresent(), "",
            relinquished, stoppedByAgent, true, Duration.ZERO);
      }
      return this;
    }
  }

  private static List<Model> everyState() {
    List<Model> states = new ArrayList<>();
    OptionalLong none = OptionalLong.empty();
    states.add(new Model(Observed.RUNNING_PRIMARY, false, Optional.empty(), false, "", none, false, false, Duration.ZERO));
    states.add(new Model(Observed.RUNNING_STANDBY, false, Optional.of(N2), true, "", none, false, false, Duration.ZERO));
    states.add(new Model(Observed.RUNNING_STANDBY, false, Optional.of(N1), true, "", none, false, false, Duration.ZERO));
    states.add(new Model(Observed.RUNNING_STANDBY, false, Optional.of(N2), false, "", none, false, false, Duration.ZERO));
    states.add(new Model(Observed.STOPPED_PRIMARY, true, Optional.empty(), false, "", none, false, false, Duration.ZERO));
    states.add(new Model(Observed.STOPPED_PRIMARY, false, Optional.empty(), false, "", none, true, false, Duration.ZERO));
    states.add(new Model(Observed.STOPPED_STANDBY, true, Optional.of(N1), false, "", none, false, false, Duration.ZERO));
    states.add(new Model(Observed.STARTING, false, Optional.of(N2), false, "", none, false, false, Duration.ZERO));
    states.add(new Model(Observed.UNREACHABLE, false, Optional.empty(), false, "", none, false, false, Duration.ZERO));
    states.add(new Model(Observed.UNREADABLE, false, Optional.empty(), false, "", none, false, false, Duration.ZERO));
    return states;
  }

  private static List<Goal> everyGoal() {
    List<Goal> goals = new ArrayList<>();
    for (Class<?> type : Goal.class.getPermittedSubclasses()) {
      if (type == Goal.Primary.class) {
        goals.add(Goal.Primary.asynchronous());
        goals.add(new Goal.Primary(List.of("n3"), 1, Optional.empty()));
      } else if (type == Goal.Standby.class) {
        goals.add(new Goal.Standby(N2));
      } else if (type == Goal.Drained.class) {
        goals.add(new Goal.Drained());
      } else if (type == Goal.Stopped.class) {
        goals.add(new Goal.Stopped());
      } else {
        fail("the reachability check does not know the goal " + type.getSimpleName()
            + ": add it here and a column for it to the convergence table");
      }
    }
    return goals;
  }

  @Test
  void theTableHasACellForEveryGoalAndEveryObservedState() {
    for (Goal goal : everyGoal()) {
      GoalKind column = GoalKind.of(Optional.of(goal));
      for (Observed observed : Observed.values()) {
        long cells =
            ConvergenceTable.CELLS.stream()
                .filter(c -> c.goal() == column && c.observed() == observed)
                .count();
        assertEquals(1, cells, column + " x " + observed);
      }
    }
    assertEquals(GoalKind.values().length * Observed.values().length, ConvergenceTable.CELLS.size());
    assertTrue(Arrays.stream(ConvergenceTable.CELLS.toArray()).distinct().count() == ConvergenceTable.CELLS.size());
  }

  @Test
  void everyGoalIsReachedFromEveryStateItCanBeReachedFrom() {
    for (Goal goal : everyGoal()) {
      for (Model start : everyState()) {
        // Unreadable, unreachable (for goals that need it to answer), or crashed before a drain
        // (no honest drain position exists; the coordinator fails over instead): reported failed.
        boolean hopeless =
            start.kind() == Observed.UNREADABLE
                || (start.kind() == Observed.UNREACHABLE
                    && (goal instanceof Goal.Primary || goal instanceof Goal.Standby))
                || (goal instanceof Goal.Drained
                    && start.kind() == Observed.STOPPED_PRIMARY && !start.clean());
        Model model = start;
        Action action = null;
        List<String> path = new ArrayList<>();
        for (int step = 0; step < 8; step++) {
          action = decide(goal, model);
          path.add(action.getClass().getSimpleName() + " (" + action.why() + ")");
          if (action instanceof Action.Converged) {
            break;
          }
          model = model.apply(action);
        }
        if (hopeless) {
          assertEquals(
              Convergence.FAILED, assertInstanceOf(Action.Wait.class, action).status(),
              "a state the agent cannot act on is reported as failed: " + goal.state() + " from " + start);
        } else {
          assertInstanceOf(
              Action.Converged.class, action,
              () -> goal.state() + " not reached from " + start + ": " + String.join(" -> ", path));
        }
      }
    }
  }

  private static Action decide(Goal goal, Model model) {
    Situations builder = Situations.situation().goal(goal).postgres(model.status());
    model.relinquished().ifPresent(builder::relinquished);
    if (model.stoppedByAgent()) {
      builder.stoppedByAgent();
    }
    if (model.ran()) {
      builder.ranSinceAssigned();
    }
    builder.notStreamingFor(model.notStreamingFor(), true);
    if (model.kind() == Observed.RUNNING_STANDBY || model.kind() == Observed.STARTING) {
      builder.configured(model.upstream());
    }
    return ConvergenceTable.decide(builder.build());
  }
}
