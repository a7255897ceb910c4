package io.baton.cli.rollingrestart;

import static io.baton.cli.cluster.Beat.CLUSTER;
import static io.baton.cli.cluster.Beat.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.baton.cli.cluster.Beat;
import io.baton.cli.cluster.ClusterView;
import io.baton.cli.cluster.Maintenance;
import io.baton.cli.rollingrestart.Planner.Step;
import io.baton.events.Assignment;
import io.baton.events.ClusterEvent;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.Health;
import io.baton.events.RequestOutcome;
import io.baton.events.Upstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static ClusterView healthy() {
    return Beat.view("n1", Beat.primary("n1").at(1), Beat.standby("n2").at(2), Beat.standby("n3").at(3));
  }

  @Test
  void restartsTheStandbysThenSwitchesOverOnceThenRestartsTheOldPrimary() {
    assertEquals(
        List.of(new Step.RestartStandby("n2"), new Step.RestartStandby("n3"),
            new Step.Switchover("n1"), new Step.RestartOldPrimary("n1")),
        Planner.plan(healthy()));
  }

  @Test
  void theMasterNeedNotBeTheFirstNode() {
    ClusterView view = Beat.view("n2", Beat.primary("n2").at(1),
        Beat.standby("n1").from("n2").at(2), Beat.standby("n3").from("n2").at(3));

    assertEquals(Optional.empty(), Planner.refusal(view));
    assertEquals(
        List.of(new Step.RestartStandby("n1"), new Step.RestartStandby("n3"),
            new Step.Switchover("n2"), new Step.RestartOldPrimary("n2")),
        Planner.plan(view));
  }

  @Test
  void aHealthyClusterMayStart() {
    assertEquals(Optional.empty(), Planner.refusal(healthy()));
  }

  @Test
  void refusedWithoutAMasterRecord() {
    ClusterView view = Beat.view(Optional.empty(), Maintenance.neverChanged(),
        Beat.primary("n1").at(1), Beat.standby("n2").at(2));

    assertEquals(
        Optional.of("cluster demo has no master record: nothing to restart around (is the coordinator"
            + " running? see 'baton status demo')"),
        Planner.refusal(view));
  }

  @Test
  void refusedInMaintenanceMode() {
    ClusterEvent on = new ClusterEvent(CLUSTER, T0, 1, EventType.MAINTENANCE_CHANGED, Optional.empty(),
        "maintenance mode on (requested by cli:ops@h)", Optional.of("r"), Optional.of(RequestOutcome.COMPLETED), Optional.empty());
    ClusterView view = Beat.view(Optional.of(Beat.master("n1", 1)), Maintenance.of(on).orElseThrow(),
        Beat.primary("n1").at(1), Beat.standby("n2").at(2));

    assertEquals(
        Optional.of("cluster demo is in maintenance mode: its switchover would be refused (turn it off"
            + " with 'baton maintenance demo off')"),
        Planner.refusal(view));
  }

  @Test
  void refusedWhenAStandbyIsNotStreamingFromTheMaster() {
    ClusterView view = Beat.view("n1", Beat.primary("n1").at(1), Beat.standby("n2").at(2),
        Beat.standby("n3").receiver("waiting", "n1").at(3));

    assertEquals(Optional.of("n3 is not streaming from n1 (its WAL receiver: waiting from n1)"), Planner.refusal(view));
  }

  @Test
  void refusedWhenAStandbyStreamsFromAnotherNode() {
    ClusterView view = Beat.view("n1", Beat.primary("n1").at(1), Beat.standby("n2").at(2),
        Beat.standby("n3").from("n2").at(3));

    assertEquals(Optional.of("n3 is not streaming from n1 (its WAL receiver: streaming from n2)"), Planner.refusal(view));
  }

  @Test
  void refusedWhenANodeIsDownOrSilent() {
    ClusterView view = Beat.view("n1", Beat.primary("n1").at(1),
        Beat.standby("n2").health(Health.DOWN).at(2),
        Beat.standby("n3").at(3, Duration.ofSeconds(20)));

    assertEquals(
        Optional.of("n2 is not a running standby (down, unknown); n3 has sent no heartbeat for 20.0s"),
        Planner.refusal(view));
  }

  @Test
  void refusedWhenAnAssignedNodeSentNoHeartbeatAtAll() {
    ClusterView base = Beat.view("n1", Beat.primary("n1").at(1), Beat.standby("n2").at(2));
    Assignment n3 = new Assignment(CLUSTER, "n3", 1, 3,
        new Goal.Standby(new Upstream("n1", "127.0.0.1", Beat.port("n1"))), Duration.ofSeconds(5), "follow", T0);
    ClusterView view = new ClusterView(CLUSTER, base.master(), base.heartbeats(), Map.of("n3", n3),
        Maintenance.neverChanged(), T0);

    assertEquals(Optional.of("n3 has sent no heartbeat in the last minute"), Planner.refusal(view));
  }

  @Test
  void refusedWhenTheMasterIsNotARunningPrimary() {
    ClusterView view = Beat.view("n1", Beat.primary("n1").fenced().at(1), Beat.standby("n2").at(2));

    assertEquals(Optional.of("the master n1 is fenced"), Planner.refusal(view));
  }

  @Test
  void refusedWhenANodeIsLeaving() {
    ClusterView view = Beat.view("n1", Beat.primary("n1").at(1), Beat.standby("n2").leaving().at(2));

    assertEquals(Optional.of("n2 is leaving"), Planner.refusal(view));
  }

  @Test
  void refusedWithoutAStandby() {
    assertEquals(Optional.of("n1 has no standby to hand the primary role to"),
        Planner.refusal(Beat.view("n1", Beat.primary("n1").at(1))));
  }

  @Test
  void refusedWhenNoStandbyMayTakeOver() {
    ClusterView view = Beat.view("n1", Beat.primary("n1").at(1), Beat.standby("n2").noFailover().at(2));

    assertEquals(Optional.of("no standby can take over (each is tagged no-failover)"), Planner.refusal(view));
  }

  @Test
  void theTargetIsARestartedStandbyHoldingTheMostWal() {
    ClusterView view = Beat.view("n1", Beat.primary("n1").current("0/3000100").at(1),
        Beat.standby("n2").received("0/3000080").replayed("0/3000080").at(2),
        Beat.standby("n3").received("0/3000100").replayed("0/3000100").at(3));

    assertEquals(Optional.of("n3"), Planner.switchoverTarget(view, Set.of("n2", "n3")));
    assertEquals(Optional.of("n2"), Planner.switchoverTarget(view, Set.of("n2")));
  }

  @Test
  void amongEquallyAdvancedStandbysTheHigherPriorityWinsThenTheName() {
    ClusterView samePriority = healthy();
    ClusterView n3Preferred = Beat.view("n1", Beat.primary("n1").at(1), Beat.standby("n2").at(2),
        Beat.standby("n3").priority(200).at(3));

    assertEquals(Optional.of("n2"), Planner.switchoverTarget(samePriority, Set.of("n2", "n3")));
    assertEquals(Optional.of("n3"), Planner.switchoverTarget(n3Preferred, Set.of("n2", "n3")));
  }

  @Test
  void theTargetIsNeverTaggedNoFailoverNorNotStreaming() {
    ClusterView view = Beat.view("n1", Beat.primary("n1").at(1), Beat.standby("n2").noFailover().at(2),
        Beat.standby("n3").receiver("waiting", "n1").at(3));

    assertEquals(Optional.empty(), Planner.switchoverTarget(view, Set.of("n2", "n3")));
  }
}
