package io.baton.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.baton.events.ClusterEvent;
import io.baton.events.EventType;
import io.baton.events.MasterRecord;
import io.baton.lab.ClusterChecks;
import io.baton.lab.Lab;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** What every fault scenario asserts, on top of the lab's {@link ClusterChecks}. */
final class ClusterAssertions {
  private ClusterAssertions() {}

  /**
   * Exactly one primary, every other node streaming from it, and the master record naming it:
   * the end state of every scenario.
   */
  static MasterRecord assertOnePrimaryAllStreaming(Lab lab, Duration timeout) throws SQLException {
    MasterRecord master = lab.awaitAllStreaming(timeout);
    assertEquals(List.of(master.node()), ClusterChecks.writableNodes(lab), "writable nodes");
    return master;
  }

  /** The event types of the cluster from index {@code from} on, in order. */
  static List<EventType> eventTypes(Lab lab, int from) {
    return lab.events().values().subList(from, lab.events().size()).stream()
        .filter(e -> e.cluster().equals(lab.cluster()))
        .map(ClusterEvent::type)
        .collect(Collectors.toList());
  }

  /**
   * Asserts that these event types appear in this order (others may come between), waiting a
   * while for the last ones: the database can show the end state before the agents' reports of it
   * reach the events topic.
   */
  static void assertStory(Lab lab, int from, EventType... story) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int told;
    do {
      told = 0;
      for (EventType type : eventTypes(lab, from)) {
        if (told < story.length && type == story[told]) {
          told++;
        }
      }
      if (told == story.length) {
        return;
      }
      ClusterChecks.sleep(Duration.ofMillis(200));
    } while (System.nanoTime() < deadline);
    assertEquals(story.length, told, "the events tell the story " + List.of(story) + "; they were:\n" + lab.describeEvents());
  }
}
