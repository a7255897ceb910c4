package io.baton.benchmark.campaign.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.benchmark.campaign.check.Violation.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Synthetic histories that break each rule, and close calls that do not. Times in ms. */
class CheckerTest {
  private static final long START = 1_000_000_000L;

  /** A history under construction. */
  private static final class Story {
    final Map<String, List<Write>> nodes = new LinkedHashMap<>();
    final List<Write> client = new ArrayList<>();
    final List<MasterChange> masters = new ArrayList<>();
    final List<ConvergenceCheck> convergence = new ArrayList<>();
    Optional<Set<Long>> onFinalPrimary = Optional.empty();
    final List<Window> zeroLoss = new ArrayList<>();

    Story node(String node, long seq, long fromMs, long toMs, WriteOutcome outcome) {
      nodes.computeIfAbsent(node, n -> new ArrayList<>()).add(write(seq, fromMs, toMs, outcome));
      return this;
    }

    Story ack(String node, long seq, long fromMs, long toMs) {
      return node(node, seq, fromMs, toMs, WriteOutcome.ACKNOWLEDGED);
    }

    Story client(long seq, long fromMs, long toMs, WriteOutcome outcome) {
      client.add(write(seq, fromMs, toMs, outcome));
      return this;
    }

    Story master(long epoch, String node, long seenMs, String reason) {
      masters.add(new MasterChange(epoch, node, ms(seenMs), reason));
      return this;
    }

    Story onFinalPrimary(Long... seqs) {
      onFinalPrimary = Optional.of(Set.of(seqs));
      return this;
    }

    Checker.Verdict check() {
      return Checker.check(new History(START, nodes, client, masters, convergence,
          onFinalPrimary, zeroLoss));
    }
  }

  private static long ms(long millis) {
    return START + Duration.ofMillis(millis).toNanos();
  }

  private static Write write(long seq, long fromMs, long toMs, WriteOutcome outcome) {
    return new Write(seq, ms(fromMs), ms(toMs), outcome);
  }

  private static List<Rule> rules(Checker.Verdict verdict) {
    return verdict.violations().stream().map(Violation::rule).toList();
  }

  @Test
  void writesAcknowledgedOnTwoNodesAtOverlappingTimesAreTwoWritablePrimaries() {
    Checker.Verdict verdict = new Story()
        .master(1, "n1", 0, "adopted")
        .ack("n1", 1, 100, 130)
        .ack("n2", 1, 120, 125)
        .master(2, "n2", 200, "failover: primary n1 lost")
        .check();
    assertEquals(List.of(Rule.OVERLAPPING_WRITES), rules(verdict));
    Violation violation = verdict.violations().get(0);
    assertEquals(ms(120), violation.atNanos());
    assertTrue(violation.description().contains("n1's write 1 [+0.100 s, +0.130 s]"),
        violation.description());
  }

  @Test
  void writesOnTwoNodesOneAfterTheOtherOrOnOneNodeOrNotAcknowledgedDoNotOverlap() {
    Checker.Verdict verdict = new Story()
        .master(1, "n1", 0, "adopted")
        .ack("n1", 1, 100, 130)
        .ack("n1", 2, 110, 140)
        .node("n2", 1, 120, 2120, WriteOutcome.INDETERMINATE)
        .node("n3", 1, 120, 125, WriteOutcome.REFUSED)
        .ack("n2", 2, 141, 150)
        .master(2, "n2", 145, "failover: primary n1 lost")
        .check();
    assertEquals(List.of(), verdict.violations());
  }

  @Test
  void aLongSplitBrainIsOneEpisodeNotAThousandViolations() {
    Story story = new Story().master(1, "n1", 0, "adopted");
    for (int i = 0; i < 100; i++) {
      story.ack("n1", i, 100 + 10L * i, 105 + 10L * i);
      story.ack("n2", i, 102 + 10L * i, 104 + 10L * i);
    }
    story.ack("n1", 500, 5000, 5005).ack("n2", 500, 5001, 5002);
    List<Violation> overlaps = story.check().violations().stream()
        .filter(v -> v.rule() == Rule.OVERLAPPING_WRITES).toList();
    assertEquals(2, overlaps.size(), overlaps.toString());
    assertTrue(overlaps.get(0).description().contains("100 such writes"),
        overlaps.get(0).description());
  }

  @Test
  void aWriteBegunOnTheOldPrimaryAfterTheNewMasterWasSeenIsAViolation() {
    Checker.Verdict verdict = new Story()
        .master(1, "n1", 0, "adopted")
        .master(2, "n2", 1000, "failover: primary n1 lost")
        .ack("n1", 7, 1001, 1003)
        .check();
    assertEquals(List.of(Rule.WRITE_ON_DEPOSED_NODE), rules(verdict));
    assertTrue(verdict.violations().get(0).description().contains("epoch 2 naming n2"));
  }

  @Test
  void writesBeforeTheRecordWasSeenOrOnTheNodeTheNextRecordNamesAreAllowed() {
    Checker.Verdict verdict = new Story()
        .master(1, "n1", 0, "adopted")
        // the old primary, in flight when the record was seen
        .ack("n1", 1, 990, 1010)
        .master(2, "n2", 1000, "failover: primary n1 lost")
        .ack("n2", 1, 1020, 1025)
        // n3, promoted by a switchover, writes a moment before its record is seen
        .ack("n3", 1, 1950, 1955)
        .master(3, "n3", 2000, "switchover from n2 (request r)")
        .ack("n3", 2, 2010, 2015)
        .check();
    assertEquals(List.of(), verdict.violations());
  }

  @Test
  void aNodeNamedOnlyByALaterRecordThanTheNextIsDeposedMeanwhile() {
    Checker.Verdict verdict = new Story()
        .master(1, "n1", 0, "adopted")
        .master(2, "n2", 1000, "failover: primary n1 lost")
        .ack("n1", 1, 1500, 1505)
        .master(3, "n3", 2000, "failover: primary n2 lost")
        .master(4, "n1", 3000, "failover: primary n3 lost")
        .check();
    assertEquals(List.of(Rule.WRITE_ON_DEPOSED_NODE), rules(verdict));
  }

  @Test
  void aNodeWritingWithoutARecordAfterIsNotJudgedWhenTheCampaignStoppedOnAStuckCluster() {
    Story stuck = new Story()
        .master(1, "n1", 0, "adopted")
        .master(2, "n2", 1000, "failover: primary n1 lost")
        .ack("n3", 1, 5000, 5005);
    stuck.convergence.add(new ConvergenceCheck(1, ms(1500), Optional.of(ms(2000)), "fine"));
    stuck.convergence.add(new ConvergenceCheck(2, ms(4000), Optional.empty(), "n3 unnamed"));
    assertEquals(List.of(Rule.NOT_CONVERGED), rules(stuck.check()),
        "its record might have come: only the convergence is reported");

    Story converged = new Story()
        .master(1, "n1", 0, "adopted")
        .master(2, "n2", 1000, "failover: primary n1 lost")
        .ack("n3", 1, 5000, 5005);
    converged.convergence.add(new ConvergenceCheck(1, ms(1500), Optional.of(ms(6000)), "fine"));
    assertEquals(List.of(Rule.WRITE_ON_DEPOSED_NODE), rules(converged.check()));
  }

  @Test
  void writesLostInAnAsynchronousFailoverAreAFigureNotAViolation() {
    Checker.Verdict verdict = new Story()
        .master(1, "n1", 0, "adopted")
        .client(1, 100, 101, WriteOutcome.ACKNOWLEDGED)
        .client(2, 200, 201, WriteOutcome.ACKNOWLEDGED)
        .client(3, 300, 2300, WriteOutcome.INDETERMINATE)
        .master(2, "n2", 5000, "failover: primary n1 lost")
        .client(4, 6000, 6001, WriteOutcome.ACKNOWLEDGED)
        .onFinalPrimary(1L, 4L)
        .check();
    assertEquals(List.of(), verdict.violations());
    assertEquals(1, verdict.lostWrites().size());
    LostWrite lost = verdict.lostWrites().get(0);
    assertEquals(2, lost.write().seq());
    assertEquals(LostWrite.Cause.ASYNCHRONOUS_FAILOVER, lost.cause());
    assertEquals(2, lost.change().orElseThrow().epoch());
  }

  @Test
  void writesLostInAFailoverWhileSynchronousModePromisedThemAreAViolation() {
    Story story = new Story()
        .master(1, "n1", 0, "adopted")
        .client(1, 100, 101, WriteOutcome.ACKNOWLEDGED)
        .client(2, 3000, 3001, WriteOutcome.ACKNOWLEDGED)
        .master(2, "n2", 5000, "failover: primary n1 lost")
        .onFinalPrimary();
    story.zeroLoss.add(new Window(ms(0), ms(2000)));
    Checker.Verdict verdict = story.check();
    assertEquals(List.of(Rule.ACKNOWLEDGED_WRITE_LOST), rules(verdict));
    assertTrue(verdict.violations().get(0).description().contains("1 acknowledged client"),
        verdict.violations().get(0).description());
    assertEquals(List.of(LostWrite.Cause.SYNCHRONOUS_FAILOVER,
        LostWrite.Cause.ASYNCHRONOUS_FAILOVER),
        verdict.lostWrites().stream().map(LostWrite::cause).toList());
  }

  @Test
  void writesLostInASwitchoverOrWithoutAnyMasterChangeAreViolationsInEveryMode() {
    Checker.Verdict verdict = new Story()
        .master(1, "n1", 0, "adopted")
        .client(1, 100, 101, WriteOutcome.ACKNOWLEDGED)
        .client(2, 110, 111, WriteOutcome.ACKNOWLEDGED)
        .master(2, "n2", 1000, "switchover from n1 (request r)")
        .client(3, 2000, 2001, WriteOutcome.ACKNOWLEDGED)
        .onFinalPrimary()
        .check();
    assertEquals(List.of(Rule.ACKNOWLEDGED_WRITE_LOST, Rule.ACKNOWLEDGED_WRITE_LOST),
        rules(verdict));
    assertTrue(verdict.violations().get(0).description().startsWith("2 acknowledged"));
    assertTrue(verdict.violations().get(0).description().contains("switchover to n2"));
    assertTrue(verdict.violations().get(1).description().contains("no master record followed"));
  }

  @Test
  void withoutAFinalPrimaryNoWriteIsCountedLost() {
    Checker.Verdict verdict = new Story()
        .master(1, "n1", 0, "adopted")
        .client(1, 100, 101, WriteOutcome.ACKNOWLEDGED)
        .check();
    assertEquals(List.of(), verdict.lostWrites());
  }

  @Test
  void aClusterThatConvergesLateOrNeverBreaksConvergence() {
    Story story = new Story();
    story.convergence.add(new ConvergenceCheck(1, ms(0), Optional.of(ms(12_000)), "fine"));
    story.convergence.add(new ConvergenceCheck(2, ms(100_000), Optional.of(ms(160_001)),
        "n2 not streaming"));
    story.convergence.add(new ConvergenceCheck(3, ms(200_000), Optional.empty(),
        "no writable node"));
    Checker.Verdict verdict = story.check();
    assertEquals(List.of(Rule.NOT_CONVERGED, Rule.NOT_CONVERGED), rules(verdict));
    assertTrue(verdict.violations().get(0).description().contains("after 60.0 s"));
    assertTrue(verdict.violations().get(1).description().contains("no writable node"));
    assertEquals(List.of(Duration.ofSeconds(12), Duration.ofMillis(60_001)),
        verdict.convergenceTimes());
  }

  @Test
  void outcomesAreReadFromTheProbesErrors() {
    assertEquals(WriteOutcome.FAILED_BEFORE_SENDING, WriteOutcome.of(
        io.baton.testkit.probe.Attempt.failed(1, 0, 1, "connect: 08001 refused")));
    assertEquals(WriteOutcome.REFUSED, WriteOutcome.of(io.baton.testkit.probe.Attempt.failed(
        1, 0, 1, "insert: 25006 ERROR: cannot execute INSERT in a read-only transaction")));
    assertEquals(WriteOutcome.INDETERMINATE, WriteOutcome.of(
        io.baton.testkit.probe.Attempt.failed(1, 0, 1, "insert: 08006 An I/O error occurred")));
    assertEquals(WriteOutcome.ACKNOWLEDGED, WriteOutcome.of(
        io.baton.testkit.probe.Attempt.acknowledged(1, 0, 1)));
  }
}
