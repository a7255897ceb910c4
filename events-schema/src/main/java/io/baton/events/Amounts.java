package io.baton.events;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations and WAL amounts as every Baton process writes them for people, on the events topic,
 * in logs and in reports: "5.1 s", "850 ms", "3.2 MiB". One format, so that an operator reading
 * an event, a log line and a benchmark table sees the same numbers the same way.
 */
public final class Amounts {
  private Amounts() {}

  /** Tenths of a second: {@code 5.1 s}. */
  public static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  /** Whole milliseconds below a second, hundredths of a second above: {@code 850 ms}, {@code 1.25 s}. */
  public static String millis(double millis) {
    if (Math.abs(millis) < 1000) {
      return Math.round(millis) + " ms";
    }
    return String.format(Locale.ROOT, "%.2f s", millis / 1000);
  }

  /** Binary units, one decimal: {@code 0 B}, {@code 12.5 KiB}, {@code 3.0 MiB}, {@code 1.2 GiB}. */
  public static String bytes(long bytes) {
    if (bytes < 0) {
      return "-" + bytes(-bytes);
    }
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024L * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
