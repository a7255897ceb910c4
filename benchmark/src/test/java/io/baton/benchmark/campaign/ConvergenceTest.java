package io.baton.benchmark.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConvergenceTest {
  private static final NodeState N1 = primary("n1", 3);

  private static NodeState primary(String node, long timeline) {
    return new NodeState(node, "10.0.0.1", 5432, Optional.empty(), false, timeline,
        Optional.empty());
  }

  private static NodeState standby(String node, String status, long timeline) {
    return new NodeState(node, "10.0.0.2", 5432, Optional.empty(), true, 0,
        Optional.of(new NodeState.Receiver(status, timeline, "10.0.0.1", 5432)));
  }

  @Test
  void onePrimaryNamedByTheMasterRecordWithEveryStandbyStreamingOnItsTimelineHasConverged() {
    assertEquals(Optional.empty(), Convergence.problem(
        List.of(N1, standby("n2", "streaming", 3), standby("n3", "streaming", 3)),
        Optional.of("n1")));
  }

  @Test
  void anythingLessHasNot() {
    NodeState n2 = standby("n2", "streaming", 3);
    assertTrue(Convergence.problem(List.of(N1, n2, standby("n3", "streaming", 2)),
        Optional.of("n1")).isPresent(), "a standby on an old timeline");
    assertTrue(Convergence.problem(List.of(N1, n2, standby("n3", "startup", 3)),
        Optional.of("n1")).isPresent(), "a standby not streaming");
    assertTrue(Convergence.problem(List.of(N1, n2, primary("n3", 3)),
        Optional.of("n1")).get().contains("n3 primary"), "two primaries");
    assertTrue(Convergence.problem(List.of(N1, n2, NodeState.unreachable("n3", "h", 1, "down")),
        Optional.of("n1")).isPresent(), "a node down");
    assertTrue(Convergence.problem(List.of(N1, n2, standby("n3", "streaming", 3)),
        Optional.of("n2")).get().startsWith("the master record names n2"));
    assertTrue(Convergence.problem(List.of(standby("n1", "streaming", 3), n2),
        Optional.of("n1")).isPresent(), "no primary");
  }
}
