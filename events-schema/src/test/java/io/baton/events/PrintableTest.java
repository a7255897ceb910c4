package io.baton.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrintableTest {
  @Test
  void escapesWhatBreaksALineOrChangesHowItIsShown() {
    assertEquals("a\\nb\\rc\\td\\u0000e\\u001b[31mf\\u0085g\\u2028h\\u202ei\\u2066j",
        Printable.escape("a\nb\rc\td\u0000e\u001b[31mf\u0085g\u2028h\u202ei\u2066j"));
  }

  @Test
  void leavesOrdinaryTextAloneAndIsIdempotent() {
    String text = "primary n1 lost: C:\\data, ünïcödé, \uD83D\uDE80 rocket";
    assertSame(text, Printable.escape(text));
    String escaped = Printable.escape("one\ntwo");
    assertEquals(escaped, Printable.escape(escaped));
    assertTrue(Printable.isPrintable(escaped));
    assertFalse(Printable.isPrintable("one\ntwo"));
  }

  @Test
  void quotesShortenedValues() {
    assertEquals("'a\\nb'", Printable.quote("a\nb"));
    assertEquals("'" + "x".repeat(100) + "...' (1000 characters)",
        Printable.quote("x".repeat(1000)));
    assertEquals("null", Printable.quote(null));
  }
}
