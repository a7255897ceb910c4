package io.baton.cli.rollingrestart;

import io.baton.cli.ExitCode;
import io.baton.cli.cluster.ClusterView;
import io.baton.cli.cluster.HeartbeatRecord;
import io.baton.cli.cluster.Maintenance;
import io.baton.cli.events.EventLine;
import io.baton.cli.kafka.ClusterTail;
import io.baton.cli.kafka.EventLog;
import io.baton.cli.kafka.KafkaAccess;
import io.baton.cli.request.RequestCommand;
import io.baton.cli.request.Verdict;
import io.baton.cli.text.Durations;
import io.baton.cli.text.Times;
import io.baton.client.keys.OperatorKey;
import io.baton.client.operator.RequestClient;
import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.events.RequestedAction;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;

/**
 * Carries out a rolling restart: the {@link Planner} decides, the {@link RestartTracker} judges
 * each restart from heartbeats; this class does the I/O (Kafka, the hook, the switchover
 * request) and the waiting, and stops at the first step that fails.
 */
public final class RollingRestart {
  private static final Duration POLL = Duration.ofMillis(200);

  /**
   * @param catchUpTimeout per node: from the restart to caught up, including the hook's run
   * @param timeout the whole rolling restart
   */
  public record Limits(Duration catchUpTimeout, Duration timeout) {}

  private final String cluster;
  private final KafkaAccess kafka;
  private final RestartHook hook;
  private final OperatorKey operator;
  private final Limits limits;
  private final Clock clock;
  private final Times times;
  private final Progress progress;
  private final Instant deadline;
  private final Set<String> restarted = new LinkedHashSet<>();
  private ClusterTail tail;
  private Maintenance maintenance;
  private MasterRecord expectedMaster;

  public RollingRestart(
      String cluster, KafkaAccess kafka, RestartHook hook, OperatorKey operator, Limits limits,
      PrintStream out, Clock clock, Times times) {
    this.cluster = cluster;
    this.kafka = kafka;
    this.hook = hook;
    this.operator = operator;
    this.limits = limits;
    this.clock = clock;
    this.times = times;
    this.progress = new Progress(out, clock);
    this.deadline = clock.instant().plus(limits.timeout());
  }

  /** A step could not be done; the message says why. */
  private static final class Stop extends Exception {
    private static final long serialVersionUID = 1L;
    private final ExitCode exitCode;

    Stop(ExitCode exitCode, String message) {
      super(message, null, false, false);
      this.exitCode = exitCode;
    }
  }

  public ExitCode run() {
    try (ClusterTail opened = ClusterTail.open(kafka, cluster, ClusterTail.WINDOW, clock.instant());
        EventLog events = EventLog.open(kafka, cluster)) {
      tail = opened;
      maintenance = events.maintenance();
      ClusterView view = view();
      Optional<String> refusal = Planner.refusal(view);
      if (refusal.isPresent()) {
        progress.line("rolling restart of " + cluster + " refused: " + refusal.get());
        return ExitCode.FAILED;
      }
      expectedMaster = view.master().orElseThrow();
      List<Planner.Step> steps = Planner.plan(view);
      progress.line("rolling restart of " + cluster + ": master " + expectedMaster.node()
          + " (epoch " + expectedMaster.epoch() + "); plan: "
          + steps.stream().map(RollingRestart::describe).collect(Collectors.joining(", ")));
      for (int i = 0; i < steps.size(); i++) {
        Planner.Step step = steps.get(i);
        String label = "step " + (i + 1) + "/" + steps.size();
        try {
          perform(step, label);
        } catch (Stop stop) {
          progress.line("rolling restart of " + cluster + " stopped at " + label + " ("
              + describe(step) + "): " + stop.getMessage());
          progress.detail("the cluster is left: " + leftState(steps));
          return stop.exitCode;
        }
      }
      progress.line("rolling restart of " + cluster + " completed in "
          + Durations.format(progress.elapsed()) + ": master " + expectedMaster.node()
          + " (epoch " + expectedMaster.epoch() + "), restarted " + String.join(", ", restarted)
          + "; " + Planner.unhealthy(view()).map(problem -> "but now " + problem)
              .orElse("every standby streaming from it"));
      return ExitCode.OK;
    }
  }

  private void perform(Planner.Step step, String label) throws Stop {
    if (step instanceof Planner.Step.RestartStandby restart) {
      restartNode(restart.node(), label);
    } else if (step instanceof Planner.Step.Switchover switchover) {
      switchOver(switchover.node(), label);
    } else {
      awaitHealthy(label, "waiting for " + step.node() + " to rejoin as a standby of "
          + expectedMaster.node());
      restartNode(step.node(), label);
    }
  }

  private void restartNode(String node, String label) throws Stop {
    ClusterView view = view();
    checkMaster(view);
    Optional<String> unhealthy = Planner.unhealthy(view);
    if (unhealthy.isPresent()) {
      throw new Stop(ExitCode.FAILED, "not restarting " + node + ": " + unhealthy.get());
    }
    HeartbeatRecord heartbeat = view.heartbeat(node).orElseThrow();
    Lsn target = view.masterPosition().orElseThrow();
    RestartTarget restartTarget = RestartTarget.of(heartbeat.heartbeat());
    RestartTracker tracker = new RestartTracker(node, expectedMaster, target, tail.heartbeatsEnd());
    Instant started = clock.instant();
    Instant nodeDeadline = earlier(started.plus(limits.catchUpTimeout()), deadline);
    progress.line(label + ": restarting " + node + " (" + hook.describe(restartTarget)
        + "); it must catch up to " + expectedMaster.node() + "'s " + target);
    RestartHook.Running running = hook.start(restartTarget);
    Optional<RestartHook.Outcome> outcome = Optional.empty();
    String lastSaid = "";
    while (true) {
      if (outcome.isEmpty()) {
        outcome = running.outcome();
        if (outcome.isPresent() && !outcome.get().succeeded()) {
          throw new Stop(ExitCode.FAILED, outcome.get().message());
        }
        if (outcome.isPresent() && outcome.get().vouches()) {
          tracker.hookVouched(tail.heartbeatsEnd());
        }
      }
      for (HeartbeatRecord record : tail.poll(POLL)) {
        tracker.offer(record);
      }
      checkMaster(view());
      CatchUp state = tracker.state();
      if (state instanceof CatchUp.Failed failed) {
        running.cancel();
        throw new Stop(ExitCode.FAILED, failed.why());
      }
      if (state instanceof CatchUp.CaughtUp caughtUp && outcome.isPresent()) {
        restarted.add(node);
        progress.line(label + ": " + node + " restarted and caught up in "
            + Durations.format(Duration.between(started, clock.instant())) + " (streaming from "
            + expectedMaster.node() + ", replayed "
            + caughtUp.proof().heartbeat().postgres().replayedLsn().map(Lsn::toString).orElse("?") + ")");
        return;
      }
      String saying = state instanceof CatchUp.Waiting waiting ? waiting.what()
          : node + " caught up; waiting for the restart command to return";
      if (!saying.equals(lastSaid)) {
        progress.detail(saying);
        lastSaid = saying;
      }
      if (clock.instant().isAfter(nodeDeadline)) {
        running.cancel();
        throw timeout(node + " did not come back and catch up within "
            + Durations.format(Duration.between(started, nodeDeadline)) + ": " + saying);
      }
    }
  }

  private void switchOver(String from, String label) throws Stop {
    ClusterView view = view();
    checkMaster(view);
    Optional<String> unhealthy = Planner.unhealthy(view);
    if (unhealthy.isPresent()) {
      throw new Stop(ExitCode.FAILED, "not switching over: " + unhealthy.get());
    }
    String target = Planner.switchoverTarget(view, restarted)
        .orElseThrow(() -> new Stop(ExitCode.FAILED, "no restarted standby can take over from " + from));
    Instant started = clock.instant();
    Duration wait = shorter(limits.catchUpTimeout(), Duration.between(started, deadline));
    progress.line(label + ": switching over from " + from + " to " + target);
    RequestClient.Answer answer;
    try (RequestClient requests =
        new RequestClient(RequestCommand.answersCommittedOnly(kafka.connection()), operator)) {
      answer = requests.submit(
          cluster, new RequestedAction.Switchover(Optional.of(from), Optional.of(target)), wait,
          event -> progress.detail(EventLine.renderShort(event, times)));
    } catch (KafkaException | IllegalStateException e) {
      throw new Stop(ExitCode.FAILED, "could not request the switchover: " + e.getMessage());
    }
    Verdict verdict = Verdict.of(answer, cluster, wait);
    if (verdict.exitCode() != ExitCode.OK) {
      throw new Stop(verdict.exitCode(), "switchover " + verdict.summary());
    }
    MasterRecord previous = expectedMaster;
    Instant masterDeadline = earlier(clock.instant().plus(Duration.ofSeconds(30)), deadline);
    while (true) {
      Optional<MasterRecord> master = view().master().filter(m -> m.epoch() > previous.epoch());
      if (master.isPresent()) {
        if (!master.get().node().equals(target)) {
          throw new Stop(ExitCode.FAILED, "the switchover completed but the master record names "
              + master.get().node() + " (epoch " + master.get().epoch() + "), not " + target);
        }
        expectedMaster = master.get();
        progress.line(label + ": " + target + " is the master (epoch " + expectedMaster.epoch()
            + ") after " + Durations.format(Duration.between(started, clock.instant())));
        return;
      }
      if (clock.instant().isAfter(masterDeadline)) {
        throw timeout("the switchover was answered as completed, but no new master record"
            + " appeared on " + kafka.connection().topics().master());
      }
      tail.poll(POLL);
    }
  }

  /** Waits until the master runs and every other node streams from it again. */
  private void awaitHealthy(String label, String what) throws Stop {
    Instant started = clock.instant();
    Instant until = earlier(started.plus(limits.catchUpTimeout()), deadline);
    progress.line(label + ": " + what);
    Optional<String> unhealthy = Optional.of("");
    while (unhealthy.isPresent()) {
      if (clock.instant().isAfter(until)) {
        throw timeout("not healthy within " + Durations.format(Duration.between(started, until))
            + ": " + unhealthy.get());
      }
      tail.poll(POLL);
      ClusterView view = view();
      checkMaster(view);
      unhealthy = Planner.unhealthy(view);
    }
  }

  private void checkMaster(ClusterView view) throws Stop {
    MasterRecord now = view.master().orElseThrow();
    if (now.epoch() != expectedMaster.epoch()) {
      throw new Stop(ExitCode.FAILED, "the master changed behind the rolling restart's back: "
          + now.node() + " at epoch " + now.epoch() + " (" + now.reason() + ")");
    }
  }

  /** The overall timeout passing is a timeout (exit 3); a node's own deadline is a failure. */
  private Stop timeout(String message) {
    return clock.instant().isAfter(deadline)
        ? new Stop(ExitCode.TIMEOUT, "the rolling restart did not finish within "
            + Durations.format(limits.timeout()) + ": " + message)
        : new Stop(ExitCode.FAILED, message);
  }

  private String leftState(List<Planner.Step> steps) {
    ClusterView view = view();
    List<String> notRestarted = new ArrayList<>();
    for (Planner.Step step : steps) {
      if (!(step instanceof Planner.Step.Switchover) && !restarted.contains(step.node())) {
        notRestarted.add(step.node());
      }
    }
    String master = view.master()
        .map(m -> "master " + m.node() + " (epoch " + m.epoch() + ")")
        .orElse("no master record");
    return master + "; restarted: " + (restarted.isEmpty() ? "none" : String.join(", ", restarted))
        + "; not restarted: " + (notRestarted.isEmpty() ? "none" : String.join(", ", notRestarted))
        + "; " + Planner.unhealthy(view).orElse("every standby is streaming from the master")
        + ". See 'baton status " + cluster + "'.";
  }

  private ClusterView view() {
    return tail.view(maintenance, clock.instant());
  }

  private static String describe(Planner.Step step) {
    if (step instanceof Planner.Step.RestartStandby) {
      return "restart " + step.node();
    }
    if (step instanceof Planner.Step.Switchover) {
      return "switch over from " + step.node();
    }
    return "restart " + step.node() + " (the old primary)";
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
