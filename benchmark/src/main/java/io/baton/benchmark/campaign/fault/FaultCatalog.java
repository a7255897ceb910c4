package io.baton.benchmark.campaign.fault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * Every kind of fault the campaign draws from, with its weight: how often it is drawn relative
 * to the others. Faults that hit a node hit the primary more often than a standby, because the
 * primary is where safety is at stake.
 */
public final class FaultCatalog {

  /** How long a fault is held unless its kind says otherwise. */
  public static final Duration SHORTEST_HOLD = Duration.ofMillis(500);
  public static final Duration LONGEST_HOLD = Duration.ofSeconds(8);

  /**
   * One kind: its name, weight, how to draw one fault of it, and how long such a fault is held
   * (drawn uniformly in {@code [shortestHold, longestHold)}).
   */
  public record Kind(String name, int weight, Function<Random, Fault> draw,
      Duration shortestHold, Duration longestHold) {
    public Kind(String name, int weight, Function<Random, Fault> draw) {
      this(name, weight, draw, SHORTEST_HOLD, LONGEST_HOLD);
    }
  }

  /** Behind and ahead, by less and more than failover-after (5 s by default). */
  private static final List<Duration> CLOCK_SKEWS = List.of(Duration.ofSeconds(-30),
      Duration.ofSeconds(-3), Duration.ofSeconds(3), Duration.ofSeconds(30),
      Duration.ofSeconds(120));

  private static final List<Kind> KINDS = List.of(
      new Kind("postmaster-kill", 2, r -> new NodeFaults.PostmasterKill(victim(r))),
      new Kind("agent-kill", 2, r -> new NodeFaults.AgentKill(victim(r))),
      new Kind("watchdog-kill", 1, r -> new NodeFaults.WatchdogKill(victim(r))),
      new Kind("node-kill", 2, r -> new NodeFaults.NodeKill(victim(r))),
      new Kind("postmaster-pause", 2, r -> new NodeFaults.PostmasterPause(victim(r))),
      new Kind("agent-pause", 2, r -> new NodeFaults.AgentPause(victim(r))),
      new Kind("node-pause", 2, r -> new NodeFaults.NodePause(victim(r))),
      new Kind("network-cut", 3, r -> new NodeFaults.NetworkCut(victim(r))),
      new Kind("agent-login-denied", 2, r -> new NodeFaults.AgentLoginDenied(victim(r))),
      new Kind("coordinator-kill", 1, r -> new ClusterFaults.CoordinatorKill()),
      new Kind("switchover", 2, r -> new ClusterFaults.SwitchoverRequest(
          r.nextInt(3) == 0 ? Optional.empty() : Optional.of(standby(r)))),
      new Kind("replication-mode-change", 1, r -> new ClusterFaults.ReplicationModeChange()),
      new Kind("maintenance", 1, r -> new ClusterFaults.MaintenanceWindow()),
      new Kind("broker-pause", 2, r -> new BrokerFaults.BrokerPause(r.nextInt(3)),
          Duration.ofSeconds(1), Duration.ofSeconds(4)),
      new Kind("broker-restart", 1, r -> new BrokerFaults.BrokerRestart(r.nextInt(3))),
      new Kind("broker-clock-skew", 1, r -> new BrokerFaults.BrokerClockSkew(r.nextInt(3),
          CLOCK_SKEWS.get(r.nextInt(CLOCK_SKEWS.size())))));

  private FaultCatalog() {}

  public static List<Kind> kinds() {
    return KINDS;
  }

  /** A kind drawn by weight. */
  public static Kind draw(Random random) {
    int total = KINDS.stream().mapToInt(Kind::weight).sum();
    int ticket = random.nextInt(total);
    for (Kind kind : KINDS) {
      ticket -= kind.weight();
      if (ticket < 0) {
        return kind;
      }
    }
    throw new IllegalStateException("weights changed while drawing");
  }

  /** The primary three times in five, else one of the standbys. */
  private static Victim victim(Random random) {
    return random.nextInt(5) < 3 ? Victim.PRIMARY : standby(random);
  }

  private static Victim standby(Random random) {
    return random.nextBoolean() ? Victim.FIRST_STANDBY : Victim.SECOND_STANDBY;
  }
}
