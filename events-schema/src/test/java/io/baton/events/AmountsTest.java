package io.baton.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AmountsTest {
  @Test
  void secondsToATenth() {
    assertEquals("0.0 s", Amounts.seconds(Duration.ZERO));
    assertEquals("5.1 s", Amounts.seconds(Duration.ofMillis(5_080)));
    assertEquals("90.0 s", Amounts.seconds(Duration.ofSeconds(90)));
  }

  @Test
  void millisecondsWholeBelowASecondThenSeconds() {
    assertEquals("850 ms", Amounts.millis(849.6));
    assertEquals("1.25 s", Amounts.millis(1_250));
    assertEquals("-12 ms", Amounts.millis(-12));
  }

  @Test
  void bytesInBinaryUnits() {
    assertEquals("0 B", Amounts.bytes(0));
    assertEquals("12.5 KiB", Amounts.bytes(12_800));
    assertEquals("3.0 MiB", Amounts.bytes(3 * 1024 * 1024));
    assertEquals("1.5 GiB", Amounts.bytes(3L * 512 * 1024 * 1024));
    assertEquals("-2.0 KiB", Amounts.bytes(-2048));
  }
}
