package io.baton.benchmark.campaign;

import io.baton.benchmark.campaign.fault.Fault;
import io.baton.benchmark.campaign.fault.FaultCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The campaign's schedule, drawn in full from a seed before anything runs, so the seed alone
 * replays it (who plays which role, and how fast the cluster reacts, still differ between runs:
 * faults name roles, not nodes). A prefix of a longer schedule is the shorter one: the same seed
 * with fewer faults replays the beginning of a run.
 */
public final class Schedule {
  static final Duration SHORTEST_HOLD = Duration.ofMillis(500);
  static final Duration LONGEST_HOLD = Duration.ofSeconds(8);
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
      Fault first = FaultCatalog.draw(random);
      step.add(new PlannedFault(first, Duration.ZERO, between(random, SHORTEST_HOLD,
          LONGEST_HOLD)));
      if (two && drawn + 2 <= faults) {
        Fault second = FaultCatalog.draw(random);
        while (second.equals(first)) {
          second = FaultCatalog.draw(random);
        }
        step.add(new PlannedFault(second, between(random, Duration.ZERO, LONGEST_OFFSET),
            between(random, SHORTEST_HOLD, LONGEST_HOLD)));
      }
      drawn += step.size();
      steps.add(new Step(steps.size() + 1, step,
          between(random, SHORTEST_PAUSE, LONGEST_PAUSE)));
    }
    return steps;
  }

  /** Uniform in {@code [low, high)}, to the millisecond. */
  private static Duration between(Random random, Duration low, Duration high) {
    return low.plusMillis((long) (random.nextDouble() * (high.toMillis() - low.toMillis())));
  }

  static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }
}
