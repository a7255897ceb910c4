package io.baton.cli.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesWhatOperatorsType() {
    assertEquals(Optional.of(Duration.ofMinutes(10)), Durations.parse("10m"));
    assertEquals(Optional.of(Duration.ofSeconds(30)), Durations.parse("30s"));
    assertEquals(Optional.of(Duration.ofMillis(500)), Durations.parse("500ms"));
    assertEquals(Optional.of(Duration.ofMinutes(90)), Durations.parse("1h30m"));
    assertEquals(Optional.of(Duration.ofDays(2)), Durations.parse("2d"));
  }

  @Test
  void rejectsWhatIsNotADuration() {
    assertEquals(Optional.empty(), Durations.parse("10"));
    assertEquals(Optional.empty(), Durations.parse("m"));
    assertEquals(Optional.empty(), Durations.parse("-5s"));
    assertEquals(Optional.empty(), Durations.parse("5 s"));
    assertEquals(Optional.empty(), Durations.parse("PT5S"));
    assertEquals(Optional.empty(), Durations.parse("99999999999999999999s"));
  }

  @Test
  void formatsShortAndReadable() {
    assertEquals("0.4s", Durations.format(Duration.ofMillis(412)));
    assertEquals("59.9s", Durations.format(Duration.ofMillis(59_900)));
    assertEquals("3m 05s", Durations.format(Duration.ofSeconds(185)));
    assertEquals("2h 10m", Durations.format(Duration.ofMinutes(130)));
    assertEquals("3d 4h", Durations.format(Duration.ofHours(76)));
  }
}
