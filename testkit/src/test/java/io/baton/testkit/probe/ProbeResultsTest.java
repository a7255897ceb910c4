package io.baton.testkit.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeResultsTest {
  private static final long MS = 1_000_000;

  /** Attempts 10 ms apart, each taking 1 ms, with the given outcomes ('A' ack, 'F' failed). */
  private static ProbeResults run(String outcomes) {
    List<Attempt> attempts = new ArrayList<>();
    for (int i = 0; i < outcomes.length(); i++) {
      long start = 1_000 * MS + i * 10 * MS;
      attempts.add(outcomes.charAt(i) == 'A'
          ? Attempt.acknowledged(i + 1, start, start + MS)
          : Attempt.failed(i + 1, start, start + MS, "connect: refused #" + (i + 1)));
    }
    return new ProbeResults("run", attempts);
  }

  @Test
  void noFailuresMeansNoOutage() {
    ProbeResults results = run("AAAA");
    assertEquals(List.of(), results.outages());
    assertEquals(Optional.empty(), results.failingSince());
  }

  @Test
  void anOutageRunsFromTheFirstFailuresStartToTheNextAcknowledgement() {
    ProbeResults results = run("AAFFFA");

    Outage outage = results.outages().get(0);
    assertEquals(1, results.outages().size());
    assertEquals(1_020 * MS, outage.startNanos());
    assertEquals(1_051 * MS, outage.endNanos());
    assertEquals(Duration.ofMillis(31), outage.duration());
    assertEquals(3, outage.failedAttempts());
    assertEquals("connect: refused #3", outage.firstError());
  }

  @Test
  void separateFailureRunsAreSeparateOutages() {
    ProbeResults results = run("FAAFFAF");

    assertEquals(List.of(Duration.ofMillis(11), Duration.ofMillis(21)),
        results.outages().stream().map(Outage::duration).toList());
    assertEquals(Duration.ofMillis(21), results.longestOutage().orElseThrow().duration());
  }

  @Test
  void trailingFailuresAreAnOngoingOutageNotAnEndedOne() {
    ProbeResults results = run("AAFF");

    assertEquals(List.of(), results.outages());
    assertEquals(Optional.of(1_020 * MS), results.failingSince());
  }

  @Test
  void acknowledgedListsOnlyAcknowledgedSequenceNumbers() {
    assertEquals(List.of(1L, 4L), run("AFFA").acknowledged());
  }

  @Test
  void lastAcknowledgedAtIsTheEndOfTheLastAck() {
    assertEquals(Optional.of(1_011 * MS), run("AAFF").lastAcknowledgedAt());
    assertEquals(Optional.empty(), run("FF").lastAcknowledgedAt());
  }

  @Test
  void firstAcknowledgedAfterSkipsWritesAlreadyInFlight() {
    ProbeResults results = run("AFFAA");

    // The ack of seq 1 ends after 1_000.5 ms, but it started before: it does not count.
    assertEquals(4L, results.firstAcknowledgedAfter(1_000 * MS + MS / 2).orElseThrow().seq());
    assertEquals(1L, results.firstAcknowledgedAfter(1_000 * MS).orElseThrow().seq());
    assertEquals(Optional.empty(), results.firstAcknowledgedAfter(2_000 * MS));
  }
}
