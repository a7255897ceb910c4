package io.baton.benchmark.campaign;

import io.baton.benchmark.campaign.CampaignResult.AppliedFault;
import io.baton.benchmark.campaign.CampaignResult.Settings;
import io.baton.benchmark.campaign.CampaignResult.StepRecord;
import io.baton.benchmark.campaign.check.Checker;
import io.baton.benchmark.campaign.check.ConvergenceCheck;
import io.baton.benchmark.campaign.check.History;
import io.baton.benchmark.campaign.check.MasterChange;
import io.baton.benchmark.campaign.check.Write;
import io.baton.benchmark.campaign.fault.Fault;
import io.baton.events.Amounts;
import io.baton.events.MasterRecord;
import io.baton.events.ReplicationMode;
import io.baton.lab.ClusterChecks;
import io.baton.lab.Lab;
import io.baton.lab.TopicTail;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a randomized fault campaign against a real 3-node cluster in network namespaces: the
 * schedule drawn from the seed, step by step (inject, hold, heal, wait for convergence, pause),
 * under the {@link Writers}; then the {@link Checker} on everything recorded.
 */
public final class Campaign {
  /** The cluster's name in a campaign's lab. */
  public static final String CLUSTER = "campaign";
  /** A step not converged this long after its heal ends the campaign: the cluster is stuck. */
  static final Duration GIVE_UP = Checker.CONVERGENCE_BOUND.multipliedBy(3);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration FIRST_MASTER = Duration.ofMinutes(5);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);

  private final Settings settings;
  private final Path logDirectory;
  private final boolean echo;

  /**
   * @param logDirectory where the campaign's log and its writers' logs go
   * @param echo whether the log is copied to stdout as it is written
   */
  public Campaign(Settings settings, Path logDirectory, boolean echo) {
    this.settings = settings;
    this.logDirectory = logDirectory;
    this.echo = echo;
  }

  public CampaignResult run() throws Exception {
    List<Step> schedule = Schedule.draw(settings.seed(), settings.faults());
    String runTag = "campaign-" + settings.mode().wire() + "-" + settings.seed() + "-"
        + Long.toHexString(System.currentTimeMillis());
    long origin = System.nanoTime();
    try (CampaignLog log = new CampaignLog(logDirectory.resolve(runTag + ".log"), origin, echo)) {
      log.log("campaign seed " + settings.seed() + ", " + settings.faults() + " faults in "
          + schedule.size() + " steps, " + settings.mode().wire() + " mode, "
          + settings.brokers() + " Kafka broker(s); replay with: "
          + settings.replay(settings.faults()));
      schedule.forEach(step -> log.log("plan " + step.describe()));
      Lab.Builder builder = Lab.builder().cluster(CLUSTER).inNamespaces()
          .kafkaBrokersWithSkewableClocks(settings.brokers());
      if (settings.mode() != ReplicationMode.ASYNC) {
        builder.coordinatorSetting("baton.coordinator.replication-mode", settings.mode().wire());
      }
      try (Lab lab = builder.start();
          CampaignContext context = new CampaignContext(lab, settings.mode(), log)) {
        return runOn(lab, context, log, schedule, runTag, origin);
      }
    }
  }

  private CampaignResult runOn(Lab lab, CampaignContext context, CampaignLog log,
      List<Step> schedule, String runTag, long origin) throws Exception {
    // On a busy machine the first adoption alone can take minutes; healthy follows within the
    // lab's own settle time.
    lab.awaitMaster(m -> true, FIRST_MASTER);
    MasterRecord first = ClusterChecks.awaitHealthy(lab);
    log.log("lab up: " + first.node() + " is the primary, every standby streams from it");
    lab.masters().onRecord(entry -> {
      if (entry.value().cluster().equals(CLUSTER)) {
        log.log("MASTER epoch " + entry.value().epoch() + ": " + entry.value().node() + " ("
            + entry.value().reason() + ")");
      }
    });
    lab.events().onRecord(entry -> {
      if (entry.value().cluster().equals(CLUSTER)) {
        log.log("event " + entry.value().logLine());
      }
    });
    if (settings.mode() != ReplicationMode.ASYNC) {
      context.resumeZeroLossOnceSynchronous();
    }
    List<StepRecord> steps = new ArrayList<>();
    Optional<String> stoppedEarly = Optional.empty();
    Writers.Recorded recorded;
    Optional<Set<Long>> onFinalPrimary = Optional.empty();
    try (Writers writers = Writers.start(lab, runTag, logDirectory)) {
      log.log("writers started: the client and one beside each node");
      for (Step step : schedule) {
        StepRecord record = runStep(step, context, writers, log);
        steps.add(record);
        if (record.convergence().convergedNanos().isEmpty()) {
          stoppedEarly = Optional.of("step " + step.number() + " did not converge within "
              + GIVE_UP.toSeconds() + " s of its heal: " + record.convergence().lastSeen());
          log.log("STOPPING: " + stoppedEarly.get());
          break;
        }
        log.log("pause " + Amounts.seconds(step.pauseAfter()));
        ClusterChecks.sleep(step.pauseAfter());
      }
      recorded = writers.stop();
      if (stoppedEarly.isEmpty()) {
        onFinalPrimary = Optional.of(rowsOnFinalPrimary(lab, writers));
      }
    }
    long end = System.nanoTime();
    List<MasterChange> masters = lab.masters().entries().stream()
        .filter(e -> e.value().cluster().equals(CLUSTER))
        .map(Campaign::change).toList();
    History history = new History(origin, recorded.besideNodes(),
        recorded.client().attempts().stream().map(Write::of).toList(),
        masters, steps.stream().map(StepRecord::convergence).toList(), onFinalPrimary,
        context.zeroLoss().windows(end));
    Checker.Verdict verdict = Checker.check(history);
    log.log("checked: " + verdict.violations().size() + " violation(s), "
        + verdict.lostWrites().size() + " acknowledged write(s) missing on the final primary");
    verdict.violations().forEach(v -> log.log("VIOLATION " + v.rule().label() + ": "
        + v.description()));
    return new CampaignResult(settings, schedule, steps, history, recorded.client(), verdict,
        context.notes(), stoppedEarly, Duration.ofNanos(end - origin), log.file());
  }

  private static MasterChange change(TopicTail.Entry<MasterRecord> entry) {
    MasterRecord record = entry.value();
    return new MasterChange(record.epoch(), record.node(), entry.receivedNanos(),
        record.reason());
  }

  private StepRecord runStep(Step step, CampaignContext context, Writers writers,
      CampaignLog log) {
    log.log("STEP " + step.describe());
    long start = System.nanoTime();
    List<Fault.Injected> injected = new ArrayList<>();
    List<AppliedFault> applied = new ArrayList<>();
    long[] injectedAt = new long[step.faults().size()];
    step.faults().forEach(f -> injected.add(null));
    for (Step.Action action : step.actions()) {
      sleepUntil(start + action.at().toNanos());
      PlannedFault planned = step.faults().get(action.fault());
      if (action.inject()) {
        injectedAt[action.fault()] = System.nanoTime();
        try {
          Fault.Injected done = planned.fault().inject(context);
          injected.set(action.fault(), done);
          log.log("inject [" + planned.fault().kind() + "] " + done.done());
        } catch (Exception e) {
          log.log("inject [" + planned.fault().kind() + "] failed: " + e);
        }
      } else {
        Fault.Injected done = injected.get(action.fault());
        String healed;
        try {
          healed = done == null ? "nothing to heal" : done.undo().heal();
        } catch (Exception e) {
          healed = "heal failed: " + e;
          context.note("healing [" + planned.fault().kind() + "] failed: " + e);
        }
        log.log("heal [" + planned.fault().kind() + "] " + healed);
        applied.add(new AppliedFault(planned, done == null ? "not injected" : done.done(),
            injectedAt[action.fault()], healed, System.nanoTime()));
      }
    }
    long healed = System.nanoTime();
    ConvergenceCheck convergence = awaitConvergence(step, healed, context, writers, log);
    return new StepRecord(step, start, applied, healed, convergence);
  }

  private ConvergenceCheck awaitConvergence(Step step, long healed, CampaignContext context,
      Writers writers, CampaignLog log) {
    long deadline = healed + GIVE_UP.toNanos();
    long nextProgress = healed + PROGRESS_EVERY.toNanos();
    String lastSeen = "not looked yet";
    while (System.nanoTime() - deadline < 0) {
      boolean answered = context.requestsDone();
      List<NodeState> nodes = context.sql().states();
      Optional<String> problem =
          Convergence.problem(nodes, context.master().map(MasterRecord::node));
      if (!answered) {
        lastSeen = "operator requests not answered yet; " + Convergence.describe(nodes);
      } else if (problem.isPresent()) {
        lastSeen = problem.get();
      } else if (!writers.clientWroteSince(healed)) {
        lastSeen = "the client has not written since the heal; " + Convergence.describe(nodes);
      } else {
        long now = System.nanoTime();
        log.log("converged in " + Amounts.seconds(Duration.ofNanos(now - healed)) + ": "
            + Convergence.describe(nodes));
        return new ConvergenceCheck(step.number(), healed, Optional.of(now), lastSeen);
      }
      if (System.nanoTime() - nextProgress > 0) {
        log.log("not converged yet: " + lastSeen);
        nextProgress += PROGRESS_EVERY.toNanos();
      }
      ClusterChecks.sleep(POLL);
    }
    return new ConvergenceCheck(step.number(), healed, Optional.empty(), lastSeen);
  }

  /** The client's rows on the node the newest master record names, once all has converged. */
  private static Set<Long> rowsOnFinalPrimary(Lab lab, Writers writers) throws Exception {
    String primary = lab.master().orElseThrow().node();
    try (Connection c = lab.postgres().connect(lab.postgres().node(primary), "app",
        lab.postgres().appCredentials())) {
      return writers.clientRowsOn(c);
    }
  }

  private static void sleepUntil(long nanos) {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      ClusterChecks.sleep(Duration.ofNanos(left));
    }
  }
}
