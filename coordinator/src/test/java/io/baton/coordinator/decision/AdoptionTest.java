package io.baton.coordinator.decision;

import static io.baton.coordinator.decision.NodeReport.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.coordinator.cluster.PhaseKind;
import io.baton.events.EventType;
import io.baton.events.Goal;
import io.baton.events.MasterRecord;
import org.junit.jupiter.api.Test;

class AdoptionTest {

  @Test
  void adoptsTheOnlyRunningPrimaryAndPublishesItOnceItAcceptsTheRole() {
    Scenario s = new Scenario();
    s.report(node("n2").standbyOf("n1", "0/3000000"));
    s.onlyEvent(EventType.ADOPTION_BLOCKED);

    s.at(0.2).report(node("n1").primary("0/3000060"));
    assertEquals(PhaseKind.PROMOTING, s.phase());
    s.assertGoal("n1", Goal.Primary.class);
    assertEquals(1, s.assignmentOf("n1").epoch());
    s.assertNoMasterChange();

    s.at(0.4).accepts("n1", node("n1").primary("0/3000060"));
    MasterRecord master = s.masterRecords().get(0);
    assertEquals("n1", master.node());
    assertEquals(1, master.epoch());
    assertEquals(NodeReport.port("n1"), master.port());
    assertEquals("0/3000060", master.promotedAtLsn().toString());
    assertEquals(PhaseKind.STABLE, s.phase());
    s.assertFollows("n2", "n1");
  }

  @Test
  void adoptsAPrimaryDataDirectoryWhenNoPostgresIsRunningYet() {
    Scenario s = new Scenario();
    s.report(node("n1").down("shut down", "0/3000028", false));
    s.report(node("n2").down("shut down in recovery", "0/3000028", true));
    s.at(1.9).tick();
    assertEquals(PhaseKind.AWAITING_PRIMARY, s.phase());
    s.at(2.0).tick();
    s.assertGoal("n1", Goal.Primary.class);
    assertTrue(s.onlyEvent(EventType.PRIMARY_ADOPTED).message().contains("data directory"));
  }

  @Test
  void refusesToChooseBetweenTwoPrimariesAndSaysSoOnce() {
    Scenario s = new Scenario();
    s.report(node("n1").down("in production", "0/3000028", false));
    s.report(node("n3").down("in production", "0/3000028", false));
    s.at(0.5).report(node("n1").down("in production", "0/3000028", false));
    s.at(1.0).tick();
    assertTrue(
        s.onlyEvent(EventType.ADOPTION_BLOCKED).message().contains("n1 and n3 all report a primary"),
        s.describeEvents());
    s.assertNoEvent(EventType.PRIMARY_ADOPTED);
    assertEquals(PhaseKind.AWAITING_PRIMARY, s.phase());
  }

  @Test
  void refusesNodesThatBelongToDifferentDatabaseSystems() {
    Scenario mixed = new Scenario();
    mixed.report(node("n2").standbyOf("n1", "0/3000000").system("7400000000000000001"));
    mixed.report(node("n1").primary("0/3000060"));
    assertTrue(
        mixed.events(EventType.ADOPTION_BLOCKED).get(1).message().contains("different database systems"),
        mixed.describeEvents());
  }
}
