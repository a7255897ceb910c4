package io.baton.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.events.EventCodec;
import io.baton.events.Heartbeat;
import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.lab.Lab;
import io.baton.lab.TopicTail;
import io.baton.testkit.kafka.ConsoleConsumerTool;
import io.baton.testkit.postgres.PostgresNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/** The foundation's checks, run against whichever Kafka the lab uses. */
final class FoundationChecks {
  private FoundationChecks() {}

  static MasterRecord masterNamesTheRealPrimary(Lab lab) throws Exception {
    MasterRecord master = lab.awaitAllStreaming(Duration.ofSeconds(90));
    for (PostgresNode node : lab.postgres().nodes()) {
      try (Connection c = lab.postgres().superuserConnection(node);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
        rs.next();
        assertEquals(!node.name().equals(master.node()), rs.getBoolean(1), node.name() + " in recovery");
      }
    }
    PostgresNode primary = lab.postgres().node(master.node());
    assertEquals(primary.host(), master.host());
    assertEquals(primary.port(), master.port());
    return master;
  }

  static void heartbeatsCarryLsnsThatAdvanceWhenRowsAreWritten(Lab lab, MasterRecord master) throws Exception {
    try (TopicTail<Heartbeat> heartbeats =
        new TopicTail<>(lab.bootstrapServers(), lab.topics().heartbeats(), Heartbeat.class)) {
      Heartbeat before =
          heartbeats.await(0, h -> h.node().equals(master.node()) && h.postgres().currentLsn().isPresent(),
              Duration.ofSeconds(30)).orElseThrow().value();
      Lsn start = before.postgres().currentLsn().get();
      try (Connection c = lab.postgres().superuserConnection(lab.postgres().node(master.node()));
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS foundation (id serial primary key, payload text)");
        s.execute("INSERT INTO foundation (payload) SELECT repeat('x', 100) FROM generate_series(1, 2000)");
      }
      int from = heartbeats.size();
      Heartbeat primary =
          heartbeats.await(from, h -> h.node().equals(master.node())
                  && h.postgres().currentLsn().filter(l -> l.bytesAfter(start) > 100_000).isPresent(),
              Duration.ofSeconds(15)).orElseThrow(() -> new AssertionError("the primary's LSN did not advance"))
              .value();
      for (PostgresNode node : lab.postgres().nodes()) {
        if (node.name().equals(master.node())) {
          continue;
        }
        Heartbeat standby =
            heartbeats.await(from, h -> h.node().equals(node.name())
                    && h.postgres().receivedLsn().filter(l -> l.bytesAfter(start) > 100_000).isPresent(),
                Duration.ofSeconds(15)).orElseThrow(() -> new AssertionError(node.name() + "'s received LSN did not advance"))
                .value();
        assertTrue(standby.postgres().receiver().orElseThrow().isStreamingFrom(master.host(), master.port()));
      }
      assertFalse(primary.postgres().replicas().isEmpty(), "the primary reports its standbys");
    }
  }

  static void consoleConsumerPrintsTheMasterRecord(Lab lab, MasterRecord master) throws Exception {
    List<String> lines =
        ConsoleConsumerTool.run(
            lab.bootstrapServers(), lab.topics().master(), Duration.ofSeconds(60),
            "--from-beginning", "--property", "print.key=true", "--max-messages", "1");
    String line = lines.stream().filter(l -> l.startsWith(lab.cluster() + "\t")).findFirst()
        .orElseThrow(() -> new AssertionError("no record keyed " + lab.cluster() + " in " + lines));
    JsonNode json = EventCodec.mapper().readTree(line.substring(line.indexOf('\t') + 1));
    assertEquals(lab.cluster(), json.get("cluster").asText());
    assertEquals(master.node(), json.get("node").asText());
    assertEquals(master.epoch(), json.get("epoch").asLong());
    assertEquals(master.port(), json.get("port").asInt());
  }
}
