package io.baton.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.benchmark.scenarios.Scenario;
import io.baton.benchmark.scenarios.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  private static final MachineFacts MACHINE = new MachineFacts(2, 24_000, "Linux 6.1 amd64",
      "Debian 17.0.15", "postgres (PostgreSQL) 15.20", "4.3.1", "HAProxy 2.6", "PgBouncer 1.18",
      "affa43c", Instant.parse("2025-01-01T00:00:00Z"));

  private static RunResult nodeLoss(int run, long outageMillis) {
    return RunResult.builder(run)
        .duration(Metric.OUTAGE, Duration.ofMillis(outageMillis))
        .duration(Metric.DETECTION, Duration.ofMillis(5100))
        .duration(Metric.PROMOTION, Duration.ofMillis(5400))
        .duration(Metric.OVERLAP, Duration.ZERO)
        .count(Metric.LOST_WRITES, 0)
        .build();
  }

  private static Scenario scenario(String name) {
    return Scenarios.all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private static Report report() {
    Report report = new Report(MACHINE,
        Options.parse(new String[] {"--quick"}, List.of("node-loss", "switchover-sync",
            "subscribers")), Instant.parse("2025-01-01T00:00:00Z"));
    report.add(new ScenarioResult(scenario("node-loss"), 3,
        List.of(nodeLoss(1, 5800), RunResult.failed(2, "java.lang.IllegalStateException: boom"),
            nodeLoss(3, 6400)),
        Duration.ofSeconds(70)));
    report.add(new ScenarioResult(scenario("switchover-sync"), 1,
        List.of(RunResult.builder(1).duration(Metric.OUTAGE, Duration.ofMillis(700))
            .duration(Metric.HANDOVER, Duration.ofMillis(2100)).count(Metric.LOST_WRITES, 0)
            .note("the primary is n3, not the target n2").build()),
        Duration.ofSeconds(20)));
    report.add(new ScenarioResult(scenario("subscribers"), 1, List.of(RunResult.builder(1)
        .duration(Metric.LISTENER, Duration.ofMillis(40))
        .duration(Metric.HAPROXY, Duration.ofMillis(120))
        .duration(Metric.PGBOUNCER, Duration.ofMillis(350)).build()), Duration.ofSeconds(30)));
    return report;
  }

  @Test
  void theTablesShowFiguresTargetsFailuresAndTheIncumbents() {
    String text = report().render();
    assertTrue(text.contains("node-loss  2/3   6.10 s (5.80 s - 6.40 s)"), text);
    assertTrue(text.contains("MISS  node-loss: write outage median <= 6.00 s: 6.10 s"), text);
    assertTrue(text.contains("node-loss run 2: FAILED: java.lang.IllegalStateException: boom"),
        text);
    assertTrue(text.contains("switchover-sync run 1: the primary is n3, not the target n2"), text);
    assertTrue(text.contains("Patroni 3.0.2 + etcd, defaults (ttl 30, loop_wait 10)"), text);
    assertTrue(text.contains("21.8 s (21.2-29.5)"), text);
    assertTrue(text.contains("PASS  subscribers: first write via HAProxy median <= 300 ms: 120 ms"),
        text);
    assertTrue(text.contains("MISS  subscribers: first write via PgBouncer median <= 300 ms"), text);
    assertTrue(text.contains("2 cores"), text);
  }

  private static RunResult kafkaPause(int run, long outageMillis, boolean fenced) {
    RunResult.Builder result = RunResult.builder(run)
        .duration(Metric.KAFKA_AWAY, Duration.ofMillis(2000))
        .duration(Metric.OUTAGE, Duration.ofMillis(outageMillis))
        .duration(Metric.LONGEST_WRITE, Duration.ofMillis(40))
        .count(Metric.FENCED, fenced ? 1 : 0)
        .count(Metric.FAILOVER, 0);
    if (outageMillis > 0) {
      result.duration(Metric.WRITES_RESUMED, Duration.ofMillis(outageMillis - 500));
    }
    return result.build();
  }

  @Test
  void kafkaOutagesGetTheirOwnTableCountingFencedRunsAndFailovers(@TempDir Path dir)
      throws Exception {
    Report report = new Report(MACHINE,
        Options.parse(new String[] {"--runs", "3"}, List.of("kafka-pause-2s")),
        Instant.parse("2025-01-01T00:00:00Z"));
    report.add(new ScenarioResult(scenario("kafka-pause-2s"), 3,
        List.of(kafkaPause(1, 0, false), kafkaPause(2, 1600, true), kafkaPause(3, 0, false)),
        Duration.ofSeconds(45)));
    String text = report.render();
    assertTrue(text.contains("KAFKA: the broker"), text);
    assertTrue(text.contains(
        "kafka-pause-2s  3/3   2.00 s (2.00 s - 2.00 s)  0 ms (0 ms - 1.60 s)  40 ms"
            + "          1 of 3  0 of 3    1.10 s (1.10 s - 1.10 s)"), text);
    assertTrue(text.contains("PASS  kafka-pause-2s: failover max <= 0: 0"), text);
    assertTrue(text.contains("MISS  kafka-pause-2s: fenced max <= 0: 1"), text);
    Path file = dir.resolve("latest.json");
    report.writeJson(file);
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertEquals(1.0, json.at("/scenarios/0/summary/fenced/max").asDouble());
    assertEquals(1100.0, json.at("/scenarios/0/runs/1/values/writesResumedMs").asDouble());
  }

  @Test
  void theJsonHoldsMachineSummariesTargetsAndEveryRun(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("results/latest.json");
    report().writeJson(file);
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertEquals(2, json.at("/machine/cores").asInt());
    assertEquals("postgres (PostgreSQL) 15.20", json.at("/machine/postgres").asText());
    JsonNode nodeLoss = json.at("/scenarios/0");
    assertEquals("node-loss", nodeLoss.at("/name").asText());
    assertEquals(2, nodeLoss.at("/runsSucceeded").asInt());
    assertEquals(6100.0, nodeLoss.at("/summary/outageMs/median").asDouble());
    assertEquals(5800.0, nodeLoss.at("/summary/outageMs/min").asDouble());
    assertEquals("MISS", nodeLoss.at("/targets/0/status").asText());
    assertEquals(false, nodeLoss.at("/runs/1/ok").asBoolean());
    assertEquals(0, nodeLoss.at("/runs/2/values/lostWrites").asInt());
    assertTrue(json.at("/clocks").asText().contains("CLOCK_MONOTONIC"));
    assertEquals(5, json.at("/incumbents").size());
    assertTrue(Files.list(dir.resolve("results")).allMatch(p -> p.equals(file)),
        "no temporary file left");
  }
}
