package io.baton.benchmark.campaign;

import io.baton.benchmark.campaign.fault.Fault;
import io.baton.benchmark.campaign.fault.FaultCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The campaign's schedule, drawn in full from a seed before anything runs, so the seed alone
 * replays it (who plays which role, and how fast the cluster reacts, still differ between runs:
 * faults name roles, not nodes). A prefix of a longer schedule is the shorter one: the same seed
 * with fewer faults replays the beginning of a run. A seed replays a schedule as long as {@link
 * FaultCatalog} is unchanged: a new kind, or a new weight, draws other schedules from it.
 */
public final class Schedule {
  /** The second fault of a step begins at most this long after the first. */
  static final Duration LONGEST_OFFSET = Duration.ofSeconds(2);
  static final Duration SHORTEST_PAUSE = Duration.ofSeconds(1);
  static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);
  /** One step in this many has two faults at once. */
  private static final int TWO_FAULTS_ONE_IN = 3;

  private Schedule() {}

  /** {@code faults} faults in steps of one or two. */
  public static List<Step> draw(long seed, int faults) {
    if (faults < 1) {
      throw new IllegalArgumentException("a campaign needs at least one fault, not " + faults);
    }
    Random random = new Random(seed);
    List<Step> steps = new ArrayList<>();
    int drawn = 0;
    while (drawn < faults) {
      boolean two = random.nextInt(TWO_FAULTS_ONE_IN) == 0;
      List<PlannedFault> step = new ArrayList<>();
      FaultCatalog.Kind kind = FaultCatalog.draw(random);
      Fault first = kind.draw().apply(random);
      step.add(new PlannedFault(first, Duration.ZERO, hold(random, kind)));
      if (two && drawn + 2 <= faults) {
        FaultCatalog.Kind secondKind = FaultCatalog.draw(random);
        Fault second = secondKind.draw().apply(random);
        while (second.equals(first)) {
          secondKind = FaultCatalog.draw(random);
          second = secondKind.draw().apply(random);
        }
        step.add(new PlannedFault(second, between(random, Duration.ZERO, LONGEST_OFFSET),
            hold(random, secondKind)));
      }
      drawn += step.size();
      steps.add(new Step(steps.size() + 1, step,
          between(random, SHORTEST_PAUSE, LONGEST_PAUSE)));
    }
    return steps;
  }

  private static Duration hold(Random random, FaultCatalog.Kind kind) {
    return between(random, kind.shortestHold(), kind.longestHold());
  }

  /** Uniform in {@code [low, high)}, to the millisecond. */
  private static Duration between(Random random, Duration low, Duration high) {
    return low.plusMillis((long) (random.nextDouble() * (high.toMillis() - low.toMillis())));
  }
}
