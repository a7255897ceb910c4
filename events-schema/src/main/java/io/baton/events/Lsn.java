package io.baton.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A write-ahead log position, written the way PostgreSQL prints it ({@code 0/3000060}), so the
 * values in the topics can be pasted into {@code pg_wal_lsn_diff()} as they are.
 */
public record Lsn(long value) implements Comparable<Lsn> {
  public static final Lsn ZERO = new Lsn(0);

  @JsonCreator
  public static Lsn parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("missing LSN");
    }
    int slash = text.indexOf('/');
    if (slash < 1 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
      throw new IllegalArgumentException(Printable.quote(text) + " is not an LSN like 0/3000060");
    }
    try {
      long high = Long.parseLong(text.substring(0, slash), 16);
      long low = Long.parseLong(text.substring(slash + 1), 16);
      return new Lsn((high << 32) | low);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(Printable.quote(text) + " is not an LSN like 0/3000060");
    }
  }

  @JsonValue
  @Override
  public String toString() {
    return String.format("%X/%X", value >>> 32, value & 0xFFFFFFFFL);
  }

  /** Bytes of WAL from {@code earlier} to this position; negative when this one is earlier. */
  public long bytesAfter(Lsn earlier) {
    return value - earlier.value;
  }

  public boolean isBefore(Lsn other) {
    return compareTo(other) < 0;
  }

  public boolean isAtLeast(Lsn other) {
    return compareTo(other) >= 0;
  }

  public static Lsn max(Lsn a, Lsn b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Override
  public int compareTo(Lsn other) {
    return Long.compareUnsigned(value, other.value);
  }
}
