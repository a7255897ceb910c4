package io.baton.system;

import static io.baton.system.ClusterAssertions.assertOnePrimaryAllStreaming;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.lab.KafkaOutages;
import io.baton.lab.KafkaOutages.KafkaOutage;
import io.baton.lab.KafkaOutages.Outcome;
import io.baton.lab.KafkaOutages.Phase;
import io.baton.lab.Lab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Kafka pausing or restarting under a 3-node cluster at the default timings (heartbeat 1 s,
 * fence-after 3.5 s, failover-after 5 s), with a client writing through the multi-host URL: the
 * lab's one broker, in its own JVM, is paused (SIGSTOP) for 1, 2, 3 and 4 s in turn, then stopped
 * and restarted. No failover in any case: a silence of the whole heartbeats partition is no
 * node's silence. Up to 2 s no fence either: the client sees no failed write. From 3 s the
 * primary's lease runs out, so it fences, and the coordinator, which never declared it lost,
 * renews its role: the same master record, the cluster healthy again.
 *
 * <p>Each pause starts 100 ms before the primary's next heartbeat is due ({@link
 * Phase#BEFORE_NEXT_HEARTBEAT}), the worst phase for the lease: it runs out 2.6 s into the pause,
 * so a 2 s pause leaves Kafka 0.6 s after it resumes to acknowledge a heartbeat, and a 3 s pause
 * always outlasts the lease.
 */
class KafkaPausesIT {

  /** Whether the primary must fence: its lease outlived by the outage whatever the phase. */
  private static boolean fences(KafkaOutage outage) {
    return !(outage instanceof KafkaOutage.Pause pause)
        || pause.length().compareTo(Duration.ofSeconds(2)) > 0;
  }

  @Test
  void kafkaPausesAndARestartCostNoFailoverAndPausesUpToTwoSecondsCostNoFence() throws Exception {
    List<KafkaOutage> outages = List.of(pause(1), pause(2), pause(3), pause(4),
        new KafkaOutage.Restart());
    List<Outcome> outcomes = new ArrayList<>();
    try (Lab lab = Lab.builder().cluster("kafka-pauses").kafkaBrokers(1).start()) {
      assertOnePrimaryAllStreaming(lab, Duration.ofSeconds(120));
      try {
        for (KafkaOutage outage : outages) {
          outcomes.add(KafkaOutages.inflict(lab, outage, Phase.BEFORE_NEXT_HEARTBEAT));
        }
      } finally {
        System.out.println(table(outcomes));
      }
    }
    List<Executable> checks = new ArrayList<>();
    for (Outcome o : outcomes) {
      String what = "Kafka " + o.outage().label() + ": ";
      checks.add(() -> assertFalse(o.failover(), what + "no failover"));
      checks.add(() -> assertEquals(List.of(), o.lost(), what + "nobody declared lost"));
      checks.add(() -> assertTrue(o.sameMaster(), what + "healthy with the same master"));
      if (fences(o.outage())) {
        checks.add(() -> assertTrue(o.renewed(), what + "the fenced primary was renewed"));
      } else {
        checks.add(() -> assertFalse(o.fenced(), what + "the primary did not fence"));
        checks.add(() -> assertFalse(o.renewed(), what + "no renewal: nothing was fenced"));
        checks.add(() -> assertEquals(0, o.failedWrites(), what + "no failed write"));
      }
    }
    assertAll("what each Kafka outage did:\n" + table(outcomes), checks);
  }

  private static KafkaOutage pause(int seconds) {
    return new KafkaOutage.Pause(Duration.ofSeconds(seconds));
  }

  private static String table(List<Outcome> outcomes) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("Kafka", "away", "longest write", "client outage", "failed writes",
        "writes back after Kafka", "fenced", "renewed", "failover", "same master"));
    for (Outcome o : outcomes) {
      rows.add(List.of(o.outage().label(), millis(o.kafkaAway()), millis(o.longestWrite()),
          millis(o.clientOutage()), Integer.toString(o.failedWrites()),
          o.writesResumed().map(KafkaPausesIT::millis).orElse("-"),
          yesNo(o.fenced()), yesNo(o.renewed()),
          o.failover() || !o.lost().isEmpty()
              ? "YES: " + o.lost() + ", " + o.newMasterRecords() + " new master record(s)"
              : "no",
          yesNo(o.sameMaster())));
    }
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder text = new StringBuilder("Kafka outages under a 3-node cluster and a writer:\n");
    for (List<String> row : rows) {
      text.append(IntStream.range(0, row.size())
          .mapToObj(i -> String.format("%-" + widths[i] + "s", row.get(i)))
          .collect(Collectors.joining(" | ")).stripTrailing()).append('\n');
    }
    return text.toString();
  }

  private static String millis(Duration duration) {
    return duration.toMillis() + " ms";
  }

  private static String yesNo(boolean value) {
    return value ? "yes" : "no";
  }
}
