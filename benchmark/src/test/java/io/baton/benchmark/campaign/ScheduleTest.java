package io.baton.benchmark.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.benchmark.campaign.fault.FaultCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScheduleTest {

  @Test
  void aSeedDrawsTheSameScheduleEveryTimeAndAnotherSeedAnother() {
    assertEquals(Schedule.draw(42, 30), Schedule.draw(42, 30));
    assertNotEquals(Schedule.draw(42, 30), Schedule.draw(43, 30));
  }

  @Test
  void theScheduleHasExactlyTheFaultsAskedForInStepsOfOneOrTwo() {
    for (long seed = 0; seed < 50; seed++) {
      List<Step> steps = Schedule.draw(seed, 21);
      assertEquals(21, steps.stream().mapToInt(s -> s.faults().size()).sum());
      for (Step step : steps) {
        assertTrue(step.faults().size() == 1 || step.faults().size() == 2, step.describe());
        for (PlannedFault fault : step.faults()) {
          FaultCatalog.Kind kind = FaultCatalog.kinds().stream()
              .filter(k -> k.name().equals(fault.fault().kind())).findFirst().orElseThrow();
          assertTrue(fault.hold().compareTo(kind.shortestHold()) >= 0);
          assertTrue(fault.hold().compareTo(kind.longestHold()) < 0);
          assertTrue(fault.offset().compareTo(Schedule.LONGEST_OFFSET) < 0);
        }
        assertTrue(step.pauseAfter().compareTo(Schedule.SHORTEST_PAUSE) >= 0);
        if (step.faults().size() == 2) {
          assertNotEquals(step.faults().get(0).fault(), step.faults().get(1).fault());
        }
      }
    }
    assertTrue(Schedule.draw(7, 60).stream().anyMatch(s -> s.faults().size() == 2),
        "two faults at once happen");
    assertThrows(IllegalArgumentException.class, () -> Schedule.draw(7, 0));
  }

  @Test
  void fewerFaultsWithTheSameSeedReplayTheBeginningUpToAWholeStep() {
    List<Step> longer = Schedule.draw(1234, 40);
    int faults = 0;
    for (int i = 0; i < 10; i++) {
      faults += longer.get(i).faults().size();
    }
    assertEquals(longer.subList(0, 10), Schedule.draw(1234, faults));
  }

  @Test
  void aStepsActionsAreInTimeOrderEachHealAfterItsInject() {
    Step step = Schedule.draw(7, 60).stream().filter(s -> s.faults().size() == 2)
        .findFirst().orElseThrow();
    List<Step.Action> actions = step.actions();
    assertEquals(4, actions.size());
    for (int i = 1; i < actions.size(); i++) {
      assertTrue(actions.get(i).at().compareTo(actions.get(i - 1).at()) >= 0);
    }
    for (int fault = 0; fault < 2; fault++) {
      int f = fault;
      int inject = indexOf(actions, a -> a.fault() == f && a.inject());
      int heal = indexOf(actions, a -> a.fault() == f && !a.inject());
      assertTrue(inject < heal);
    }
  }

  @Test
  void everyKindInTheCatalogIsDrawnUnderItsOwnName() {
    Random random = new Random(5);
    for (FaultCatalog.Kind kind : FaultCatalog.kinds()) {
      assertEquals(kind.name(), kind.draw().apply(random).kind());
    }
    Set<String> drawn = Schedule.draw(99, 400).stream()
        .flatMap(s -> s.faults().stream()).map(f -> f.fault().kind())
        .collect(Collectors.toSet());
    assertEquals(FaultCatalog.kinds().stream().map(FaultCatalog.Kind::name)
        .collect(Collectors.toSet()), drawn);
  }

  private static int indexOf(List<Step.Action> actions,
      java.util.function.Predicate<Step.Action> matching) {
    for (int i = 0; i < actions.size(); i++) {
      if (matching.test(actions.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no such action");
  }
}
