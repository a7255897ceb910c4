package io.baton.cli.text;

import java.util.Locale;

/** WAL amounts for people: {@code 0 B}, {@code 12.5 KiB}, {@code 3.0 MiB}, {@code 1.2 GiB}. */
public final class Bytes {
  private Bytes() {}

  public static String format(long bytes) {
    if (bytes < 0) {
      return "-" + format(-bytes);
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
