package io.baton.cli.text;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Points in time as the CLI prints them, in one zone (the machine's, unless a test says). */
public final class Times {
  private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private final ZoneId zone;

  public Times(ZoneId zone) {
    this.zone = zone;
  }

  public static Times local() {
    return new Times(ZoneId.systemDefault());
  }

  /** {@code 2026-11-22 00:01:02.345}. */
  public String full(Instant instant) {
    return FULL.format(instant.atZone(zone));
  }

  /** {@code 00:01:02.345}. */
  public String clock(Instant instant) {
    return CLOCK.format(instant.atZone(zone));
  }
}
