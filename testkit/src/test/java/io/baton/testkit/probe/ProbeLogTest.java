package io.baton.testkit.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeLogTest {

  @Test
  void readsBackWhatItWrites() {
    List<Attempt> attempts = List.of(
        Attempt.acknowledged(1, 100, 250),
        Attempt.failed(2, 300, 2_300, "insert: 57P01 terminating\nconnection  due to admin"),
        Attempt.acknowledged(3, 2_400, 2_500));

    ProbeResults results = ProbeLog.parse(List.of(ProbeLog.header("run-7"),
        ProbeLog.format(attempts.get(0)), ProbeLog.format(attempts.get(1)),
        ProbeLog.format(attempts.get(2))));

    assertEquals("run-7", results.runId());
    assertEquals(List.of(attempts.get(0),
        Attempt.failed(2, 300, 2_300, "insert: 57P01 terminating connection due to admin"),
        attempts.get(2)), results.attempts());
  }

  @Test
  void keepsNegativeNanoTimeStamps() {
    // System.nanoTime() may be negative; only differences mean anything.
    Attempt attempt = Attempt.acknowledged(1, -5_000, -4_000);
    assertEquals(List.of(attempt),
        ProbeLog.parse(List.of(ProbeLog.header("r"), ProbeLog.format(attempt))).attempts());
  }

  @Test
  void ignoresALastLineCutShortByAKill() {
    ProbeResults results = ProbeLog.parse(List.of(ProbeLog.header("r"), "1 100 200 ACK", "2 300 4"));
    assertEquals(1, results.attempts().size());
  }

  @Test
  void rejectsAMalformedLineInTheMiddle() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ProbeLog.parse(List.of(ProbeLog.header("r"), "1 100 ACK", "2 300 400 ACK")));
    assertEquals("probe log line 2 is malformed: 1 100 ACK", e.getMessage());
  }

  @Test
  void rejectsAFileWithoutHeader() {
    assertThrows(IllegalArgumentException.class, () -> ProbeLog.parse(List.of("1 100 200 ACK")));
  }
}
