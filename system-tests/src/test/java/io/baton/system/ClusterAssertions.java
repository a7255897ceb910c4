package io.baton.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.events.ClusterEvent;
import io.baton.events.EventType;
import io.baton.events.MasterRecord;
import io.baton.lab.Lab;
import io.baton.testkit.postgres.Credentials;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.probe.WriteProbe;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** What every fault scenario checks, and the client every scenario runs. */
final class ClusterChecks {
  private ClusterChecks() {}

  /**
   * Exactly one primary, every other node streaming from it, and the master record naming it:
   * the end state of every scenario.
   */
  static MasterRecord assertOnePrimaryAllStreaming(Lab lab, Duration timeout) throws SQLException {
    MasterRecord master = lab.awaitAllStreaming(timeout);
    List<String> primaries = new ArrayList<>();
    for (PostgresNode node : lab.postgres().nodes()) {
      try (Connection c = lab.postgres().superuserConnection(node);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          primaries.add(node.name());
        }
      }
    }
    assertEquals(List.of(master.node()), primaries, "writable nodes");
    return master;
  }

  /** The benchmark method's client: a write every 10 ms through a multi-host URL that finds the primary. */
  static WriteProbe startProbe(Lab lab) throws SQLException {
    MasterRecord master = lab.master().orElseThrow();
    Credentials app = lab.postgres().appCredentials();
    try (Connection c = lab.postgres().connect(lab.postgres().node(master.node()), "app", app)) {
      WriteProbe.createTable(c);
    }
    return WriteProbe.builder(() -> lab.postgres().multiHostJdbcUrl("app"), app.user(), app.password()).start();
  }

  /** Acknowledged writes missing on the current primary. */
  static List<Long> lostWrites(Lab lab, WriteProbe probe) throws SQLException {
    MasterRecord master = lab.master().orElseThrow();
    try (Connection c = lab.postgres().connect(lab.postgres().node(master.node()), "app", lab.postgres().appCredentials())) {
      return probe.lostWrites(c);
    }
  }

  /** Waits until the probe has written successfully again after the given moment. */
  static void awaitWritesAfter(WriteProbe probe, long nanos, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (probe.firstAcknowledgedAfter(nanos).isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "no successful write within " + timeout);
      sleep(Duration.ofMillis(50));
    }
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
      sleep(Duration.ofMillis(200));
    } while (System.nanoTime() < deadline);
    assertEquals(story.length, told, "the events tell the story " + List.of(story) + "; they were:\n" + lab.describeEvents());
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
