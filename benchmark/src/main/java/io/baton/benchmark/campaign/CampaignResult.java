package io.baton.benchmark.campaign;

import io.baton.benchmark.campaign.check.Checker;
import io.baton.benchmark.campaign.check.ConvergenceCheck;
import io.baton.benchmark.campaign.check.History;
import io.baton.events.ReplicationMode;
import io.baton.testkit.probe.ProbeResults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A finished campaign: what was planned, what was done, what the checker found.
 *
 * @param stoppedEarly why the campaign stopped before the end of its schedule, if it did
 * @param log the campaign's log file
 */
public record CampaignResult(
    Settings settings,
    List<Step> schedule,
    List<StepRecord> steps,
    History history,
    ProbeResults client,
    Checker.Verdict verdict,
    List<String> notes,
    Optional<String> stoppedEarly,
    Duration took,
    Path log) {

  /**
   * What a campaign runs: the seed of its schedule, how many faults, in which mode, on how many
   * Kafka brokers (1 or 3, each in its own JVM).
   */
  public record Settings(long seed, int faults, ReplicationMode mode, int brokers) {
    /** The command line that replays this campaign, up to {@code faults} faults. */
    public String replay(int faults) {
      return "./dev bench --campaign --seed " + seed + " --faults " + faults + " --mode "
          + mode.wire() + (brokers == 1 ? "" : " --brokers " + brokers);
    }
  }

  /** A fault as it was done. */
  public record AppliedFault(PlannedFault plan, String injected, long injectedNanos,
      String healed, long healedNanos) {}

  /** A step as it ran. */
  public record StepRecord(Step step, long startNanos, List<AppliedFault> faults,
      long healedNanos, ConvergenceCheck convergence) {}

  public int faultsInjected() {
    return steps.stream().mapToInt(s -> s.faults().size()).sum();
  }
}
