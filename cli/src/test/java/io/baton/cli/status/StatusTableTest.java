package io.baton.cli.status;

import static io.baton.cli.cluster.Beat.CLUSTER;
import static io.baton.cli.cluster.Beat.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.cli.cluster.Beat;
import io.baton.cli.cluster.ClusterView;
import io.baton.cli.cluster.Maintenance;
import io.baton.cli.text.Times;
import io.baton.events.Assignment;
import io.baton.events.ClusterEvent;
import io.baton.events.Convergence;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.Health;
import io.baton.events.RequestOutcome;
import io.baton.events.Role;
import io.baton.events.Upstream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StatusTableTest {
  private static final Times UTC = new Times(ZoneOffset.UTC);

  private static ClusterView healthy() {
    return Beat.view("n1",
        Beat.primary("n1").current("0/3000060").replica("n2", "async").replica("n3", "async").at(10),
        Beat.standby("n2").at(11),
        Beat.standby("n3").received("0/3000000").replayed("0/2FFFF00").at(12, Duration.ofSeconds(2)));
  }

  @Test
  void showsTheMasterAndOneLinePerNode() {
    String text = StatusTable.render(StatusReport.of(healthy()), UTC);

    assertEquals(
        """
        Cluster demo: master n1 (127.0.0.1:5431), epoch 1, timeline 1, since 2026-11-22 02:55:00.000 (5m 00s ago)
          why: adopted: the only primary
        Maintenance: off   Synchronous standbys: none (asynchronous)

        Node | Host:Port      | Role    | Health | TLI: LSN     | Lag  | Replication              | Goal / Convergence | Heartbeat | Flags | Detail
        -----+----------------+---------+--------+--------------+------+--------------------------+--------------------+-----------+-------+----------------------
        n1   | 127.0.0.1:5431 | primary | up     | 1: 0/3000060 |      | 2 standbys streaming     | - / converged      | 0.5s ago  |       | in the assigned state
        n2   | 127.0.0.1:5432 | standby | up     | 1: 0/3000060 | 0 B  | streaming from n1, async | - / converged      | 0.5s ago  |       | in the assigned state
        n3   | 127.0.0.1:5433 | standby | up     | 1: 0/3000000 | 96 B | streaming from n1, async | - / converged      | 2.0s ago  |       | in the assigned state
        """,
        text);
  }

  @Test
  void lagIsTheMastersPositionMinusTheNodesFurthestPosition() {
    NodeStatus n3 = StatusReport.of(healthy()).nodes().get(2);

    assertEquals(0x60, n3.lagBytes().getAsLong());
  }

  @Test
  void flagsWhatAPersonShouldNotice() {
    ClusterView view = Beat.view("n1",
        Beat.primary("n1").at(10),
        Beat.standby("n2").leaving().noFailover().at(11),
        Beat.primary("n3").fenced().at(12, Duration.ofSeconds(9)));

    List<NodeStatus> nodes = StatusReport.of(view).nodes();

    assertEquals(List.of(), nodes.get(0).flags());
    assertEquals(List.of("leaving", "no-failover"), nodes.get(1).flags());
    assertEquals(List.of("fenced", "silent", "unexpected-primary"), nodes.get(2).flags());
  }

  @Test
  void aStandbyThatStoppedStreamingSaysSo() {
    ClusterView view = Beat.view("n1", Beat.primary("n1").at(1),
        Beat.standby("n2").receiver("waiting", "n1").at(2),
        Beat.standby("n3").health(Health.DOWN).agent(Convergence.FAILED, "cannot start").at(3));

    List<NodeStatus> nodes = StatusReport.of(view).nodes();

    assertEquals(Optional.of("waiting from n1"), nodes.get(1).replication());
    assertEquals("down", nodes.get(2).health());
    assertEquals(Optional.empty(), nodes.get(2).replication());
    assertEquals(Optional.of("cannot start"), nodes.get(2).detail());
  }

  @Test
  void aStoppedNodeShowsWhereItsDataDirectoryStands() {
    ClusterView view = Beat.view("n1", Beat.primary("n1").current("0/5000100").at(1),
        Beat.standby("n2").health(Health.DOWN).noReceiver().dataDirectory(2, "0/5000028").at(2));

    NodeStatus n2 = StatusReport.of(view).nodes().get(1);

    assertEquals(2, n2.timeline().getAsLong());
    assertEquals("0/5000028", n2.position().orElseThrow().toString());
    assertEquals(0xD8, n2.lagBytes().getAsLong());
  }

  @Test
  void aNodeKnownOnlyFromItsAssignmentIsListedAsSilent() {
    ClusterView base = Beat.view("n1", Beat.primary("n1").at(1));
    Map<String, Assignment> assignments = new TreeMap<>();
    assignments.put("n2", standbyOf("n1", 7));
    ClusterView view = new ClusterView(CLUSTER, base.master(), base.heartbeats(), assignments,
        Maintenance.neverChanged(), T0);

    String text = StatusTable.render(StatusReport.of(view), UTC);

    assertTrue(text.contains("\nn2   | -              | -       | -      | -            |     |"
        + "                      | standby of n1 / -  | none      | silent | no heartbeat in the last minute\n"),
        text);
  }

  @Test
  void anAssignmentNotYetAcceptedIsPending() {
    ClusterView base = Beat.view("n1", Beat.primary("n1").at(1),
        Beat.standby("n2").accepted(1, 6, "standby").at(2));
    ClusterView view = new ClusterView(CLUSTER, base.master(), base.heartbeats(),
        Map.of("n2", standbyOf("n1", 7)), Maintenance.neverChanged(), T0);

    NodeStatus n2 = StatusReport.of(view).nodes().get(1);

    assertEquals(Optional.of("standby of n1"), n2.goal());
    assertEquals(Optional.of("pending"), n2.convergence());
  }

  @Test
  void showsMaintenanceAndWhenItWasTurnedOn() {
    ClusterEvent on = new ClusterEvent(CLUSTER, T0.minusSeconds(60), 1, EventType.MAINTENANCE_CHANGED,
        Optional.empty(), "maintenance mode on (requested by cli:ops@host): no automatic failover",
        Optional.of("r1"), Optional.of(RequestOutcome.COMPLETED), Optional.empty());
    ClusterView view = Beat.view(Optional.of(Beat.master("n1", 1)), Maintenance.of(on).orElseThrow(),
        Beat.primary("n1").at(1));

    String text = StatusTable.render(StatusReport.of(view), UTC);

    assertTrue(text.contains("Maintenance: on (since 2026-11-22 02:59:00.000)"), text);
  }

  @Test
  void saysWhenThereIsNoMasterRecord() {
    ClusterView view = Beat.view(Optional.empty(), Maintenance.neverChanged(),
        Beat.standby("n2").role(Role.STANDBY).at(1));

    String text = StatusTable.render(StatusReport.of(view), UTC);

    assertTrue(text.startsWith("Cluster demo: no master record"), text);
  }

  @Test
  void theJsonHoldsTheSameFacts() throws Exception {
    JsonNode json = new ObjectMapper().readTree(StatusJson.render(StatusReport.of(healthy())));

    assertEquals("demo", json.get("cluster").asText());
    assertEquals("n1", json.get("master").get("node").asText());
    assertEquals(1, json.get("master").get("epoch").asLong());
    assertEquals("off", json.get("maintenance").asText());
    JsonNode n3 = json.get("nodes").get(2);
    assertEquals("n3", n3.get("name").asText());
    assertEquals("0/3000000", n3.get("position").asText());
    assertEquals(96, n3.get("lagBytes").asLong());
    assertEquals("PT2S", n3.get("heartbeatAge").asText());
    assertEquals("streaming from n1, async", n3.get("replication").asText());
    assertEquals(0, n3.get("flags").size());
  }

  private static Assignment standbyOf(String upstream, long generation) {
    return new Assignment(CLUSTER, "n2", 1, generation,
        new Goal.Standby(new Upstream(upstream, "127.0.0.1", Beat.port(upstream))),
        Duration.ofSeconds(5), "follow the master", T0);
  }

  @Test
  void everyCellIsShownOnOneLine() {
    ClusterView view = Beat.view("n1",
        Beat.primary("n1").current("0/3000060").agent(Convergence.CONVERGED,
            "fine\nn9   | 10.6.6.6:5432  | primary | up\u001b[8m").at(10));

    String text = StatusTable.render(StatusReport.of(view), UTC);

    assertEquals(7, text.lines().count(), text);
    assertTrue(text.contains("| fine\\nn9   | 10.6.6.6:5432  | primary | up\\u001b[8m\n"), text);
  }
}
