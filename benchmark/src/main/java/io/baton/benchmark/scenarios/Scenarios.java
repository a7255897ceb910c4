package io.baton.benchmark.scenarios;

import io.baton.benchmark.LabKind;
import io.baton.benchmark.Metric;
import io.baton.benchmark.Target;
import io.baton.benchmark.scenarios.FaultScenario.Fault;
import io.baton.benchmark.scenarios.FaultScenario.Victim;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every scenario, in the order they run: grouped by the lab they need, so labs are shared. The
 * targets are the issues'; a fault on a standby has none but that clients notice nothing.
 */
public final class Scenarios {
  private Scenarios() {}

  public static List<Scenario> all() {
    return List.of(
        new FaultScenario("postmaster-kill",
            "SIGKILL of the primary's postmaster and children; its agent stays alive",
            LabKind.ASYNC, Victim.PRIMARY, Fault.POSTMASTER_KILL,
            List.of(Target.median(Metric.OUTAGE, 3_000))),
        new FaultScenario("node-loss",
            "SIGKILL of the primary's agent and postmaster at once, at a random heartbeat phase",
            LabKind.ASYNC, Victim.PRIMARY, Fault.NODE_LOSS,
            List.of(Target.median(Metric.OUTAGE, 6_000))),
        new FaultScenario("agent-freeze",
            "SIGSTOP of the primary's agent, SIGCONT after the failover",
            LabKind.ASYNC, Victim.PRIMARY, Fault.AGENT_FREEZE, List.of()),
        new FaultScenario("standby-kill",
            "SIGKILL of a standby's agent and postmaster; the agent is restarted after",
            LabKind.ASYNC, Victim.STANDBY_IN_TURN, Fault.NODE_LOSS, List.of()),
        new SwitchoverScenario("switchover-async",
            "asynchronous mode: switchovers in a row to each node in turn under a writer",
            LabKind.ASYNC),
        new Subscribers(),
        // More runs than the other faults: the overlap must be 0 in every one of them.
        new FaultScenario("partition",
            "the primary's network namespace cut off (agent and PostgreSQL), healed after",
            LabKind.NAMESPACES, Victim.PRIMARY, Fault.NETWORK_CUT, 15,
            List.of(Target.median(Metric.OUTAGE, 8_000), Target.max(Metric.OVERLAP, 0))),
        new FaultScenario("sync-standby-kill",
            "synchronous mode: SIGKILL of the synchronous standby's agent and postmaster",
            LabKind.SYNC, Victim.SYNCHRONOUS_STANDBY, Fault.NODE_LOSS,
            List.of(Target.max(Metric.LOST_WRITES, 0))),
        new FaultScenario("sync-failover",
            "synchronous mode: SIGKILL of the primary's agent and postmaster at once",
            LabKind.SYNC, Victim.PRIMARY, Fault.NODE_LOSS,
            List.of(Target.max(Metric.LOST_WRITES, 0))),
        new SwitchoverScenario("switchover-sync",
            "synchronous mode: switchovers in a row to each node in turn under a writer",
            LabKind.SYNC),
        // No failover in any; no fence up to 2 s (issue 8's target).
        KafkaOutageScenario.pause(1, 2),
        KafkaOutageScenario.pause(2, 2),
        KafkaOutageScenario.pause(3, 2),
        KafkaOutageScenario.pause(4, 2),
        KafkaOutageScenario.restart());
  }

  /** What {@code --scenarios} accepts: every scenario's name, then every family's. */
  public static List<String> names() {
    return Stream.concat(all().stream().map(Scenario::name),
        all().stream().flatMap(s -> s.family().stream()).distinct()).toList();
  }

  /** Whether {@code chosen} (names and families) selects the scenario. */
  public static boolean isChosen(Scenario scenario, List<String> chosen) {
    return chosen.contains(scenario.name())
        || scenario.family().filter(chosen::contains).isPresent();
  }
}
