package io.baton.cli.rollingrestart;

import io.baton.cli.cluster.ClusterView;
import io.baton.cli.cluster.HeartbeatRecord;
import io.baton.cli.text.Durations;
import io.baton.events.Heartbeat;
import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.events.PostgresStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The decisions of a rolling restart, from a {@link ClusterView} alone: whether the cluster is
 * healthy enough to restart a node now, in which order, and which standby takes over. Seed 000's
 * best case: every standby first, then one switchover, then the old primary, so the primary
 * moves exactly once.
 */
public final class Planner {
  /** A node that has not sent a heartbeat for this long is not known to be healthy. */
  static final Duration FRESH = Duration.ofSeconds(5);

  private static final Comparator<Heartbeat> BEST_TARGET_FIRST =
      Comparator.<Heartbeat, Lsn>comparing(h -> h.postgres().walPosition().orElse(Lsn.ZERO), Comparator.reverseOrder())
          .thenComparing(h -> h.agent().priority(), Comparator.reverseOrder())
          .thenComparing(Heartbeat::node);

  private Planner() {}

  /** The steps, in order. */
  public sealed interface Step {
    String node();

    /** Restart a standby and wait until it caught up with the master. */
    record RestartStandby(String node) implements Step {}

    /** Hand the primary role from {@code node} to a restarted standby. */
    record Switchover(String node) implements Step {}

    /** Restart the old primary, now a standby of the new master, and wait for its catch-up. */
    record RestartOldPrimary(String node) implements Step {}
  }

  /** The whole plan, from a healthy cluster: standbys by name, the switchover, the old primary. */
  public static List<Step> plan(ClusterView view) {
    String master = view.master().orElseThrow().node();
    List<Step> steps = new ArrayList<>();
    standbys(view).forEach(node -> steps.add(new Step.RestartStandby(node)));
    steps.add(new Step.Switchover(master));
    steps.add(new Step.RestartOldPrimary(master));
    return steps;
  }

  /**
   * Why a node must not be restarted now, if so: the cluster needs its master running and every
   * other node streaming from it, or the restart would leave it with fewer copies than it has.
   */
  public static Optional<String> unhealthy(ClusterView view) {
    if (view.master().isEmpty()) {
      return Optional.of("cluster " + view.cluster() + " has no master record: nothing to restart"
          + " around (is the coordinator running? see 'baton status " + view.cluster() + "')");
    }
    MasterRecord master = view.master().get();
    Optional<HeartbeatRecord> masterBeat = view.masterHeartbeat();
    if (masterBeat.isEmpty()) {
      return Optional.of("the master " + master.node() + " has sent no heartbeat in the last minute");
    }
    Optional<String> masterProblem = problem(view, masterBeat.get())
        .or(() -> masterBeat.get().heartbeat().postgres().isRunningPrimary()
            ? Optional.empty()
            : Optional.of("is not a running primary (" + state(masterBeat.get().heartbeat().postgres()) + ")"))
        .or(() -> masterBeat.get().heartbeat().postgres().currentLsn().isPresent()
            ? Optional.empty()
            : Optional.of("reports no WAL position"));
    if (masterProblem.isPresent()) {
      return Optional.of("the master " + master.node() + " " + masterProblem.get());
    }
    List<String> problems = new ArrayList<>();
    for (String node : view.nodes()) {
      if (node.equals(master.node())) {
        continue;
      }
      Optional<HeartbeatRecord> beat = view.heartbeat(node);
      if (beat.isEmpty()) {
        problems.add(node + " has sent no heartbeat in the last minute");
        continue;
      }
      Heartbeat heartbeat = beat.get().heartbeat();
      problem(view, beat.get())
          .or(() -> heartbeat.postgres().isRunningStandby()
              ? Optional.empty()
              : Optional.of("is not a running standby (" + state(heartbeat.postgres()) + ")"))
          .or(() -> view.streamsFromMaster(heartbeat)
              ? Optional.empty()
              : Optional.of("is not streaming from " + master.node() + " (its WAL receiver: "
                  + view.receiver(heartbeat.postgres()) + ")"))
          .ifPresent(problem -> problems.add(node + " " + problem));
    }
    if (!problems.isEmpty()) {
      return Optional.of(String.join("; ", problems));
    }
    if (standbys(view).isEmpty()) {
      return Optional.of(master.node() + " has no standby to hand the primary role to");
    }
    return Optional.empty();
  }

  /**
   * Why the rolling restart must not start, if so: an unhealthy cluster, maintenance mode (the
   * switchover would be refused halfway), or no standby that could take over.
   */
  public static Optional<String> refusal(ClusterView view) {
    if (view.maintenance().on()) {
      return Optional.of("cluster " + view.cluster() + " is in maintenance mode: its switchover"
          + " would be refused (turn it off with 'baton maintenance " + view.cluster() + " off')");
    }
    Optional<String> unhealthy = unhealthy(view);
    if (unhealthy.isPresent()) {
      return unhealthy;
    }
    if (candidates(view, Set.copyOf(standbys(view))).isEmpty()) {
      return Optional.of("no standby can take over (each is tagged no-failover)");
    }
    return Optional.empty();
  }

  /** The standby to switch over to: restarted, eligible, holding the most WAL, then priority. */
  public static Optional<String> switchoverTarget(ClusterView view, Set<String> restarted) {
    return candidates(view, restarted).stream().sorted(BEST_TARGET_FIRST).map(Heartbeat::node).findFirst();
  }

  private static List<Heartbeat> candidates(ClusterView view, Set<String> restarted) {
    return view.heartbeats().values().stream()
        .map(HeartbeatRecord::heartbeat)
        .filter(h -> restarted.contains(h.node()))
        .filter(h -> h.postgres().isRunningStandby() && view.streamsFromMaster(h))
        .filter(h -> !h.agent().leaving() && !h.agent().noFailover() && !h.agent().fenced())
        .toList();
  }

  /** Every node but the master, by name. */
  static List<String> standbys(ClusterView view) {
    String master = view.master().map(MasterRecord::node).orElse("");
    return view.nodes().stream().filter(node -> !node.equals(master)).toList();
  }

  private static Optional<String> problem(ClusterView view, HeartbeatRecord record) {
    Duration age = view.age(record);
    if (age.compareTo(FRESH) > 0) {
      return Optional.of("has sent no heartbeat for " + Durations.format(age));
    }
    if (record.heartbeat().agent().leaving()) {
      return Optional.of("is leaving");
    }
    if (record.heartbeat().agent().fenced()) {
      return Optional.of("is fenced");
    }
    return Optional.empty();
  }

  private static String state(PostgresStatus pg) {
    return pg.health().wire() + ", " + pg.role().wire();
  }
}
