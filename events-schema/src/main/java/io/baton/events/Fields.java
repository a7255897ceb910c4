package io.baton.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Checks shared by the records' compact constructors; every failure names its field. */
final class Fields {
  private Fields() {}

  static <T> T required(String field, T value) {
    if (value == null) {
      throw new InvalidFieldException(field, "is missing");
    }
    return value;
  }

  static String text(String field, String value) {
    required(field, value);
    if (value.isBlank()) {
      throw new InvalidFieldException(field, "is empty");
    }
    return value;
  }

  static int version(String field, int version, int understood) {
    if (version < 1) {
      throw new InvalidFieldException(field, "is missing or not a positive number");
    }
    if (version > understood) {
      throw new InvalidFieldException(
          field, "is " + version + ", newer than this reader understands (" + understood + ")");
    }
    return version;
  }

  /** Digits only, as PostgreSQL prints a database system identifier. */
  static String digits(String field, String value) {
    required(field, value);
    if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new InvalidFieldException(field, Printable.quote(value) + " is not a number");
    }
    return value;
  }

  static OptionalInt port(String field, OptionalInt port) {
    OptionalInt present = optional(port);
    present.ifPresent(p -> port(field, p));
    return present;
  }

  static OptionalLong atLeast(String field, OptionalLong value, long minimum) {
    OptionalLong present = optional(value);
    present.ifPresent(v -> atLeast(field, v, minimum));
    return present;
  }

  static int port(String field, int port) {
    if (port < 1 || port > 65535) {
      throw new InvalidFieldException(field, "must be between 1 and 65535, got " + port);
    }
    return port;
  }

  static long atLeast(String field, long value, long minimum) {
    if (value < minimum) {
      throw new InvalidFieldException(field, "must be at least " + minimum + ", got " + value);
    }
    return value;
  }

  static <T> Optional<T> optional(Optional<T> value) {
    return value == null ? Optional.empty() : value;
  }

  static OptionalLong optional(OptionalLong value) {
    return value == null ? OptionalLong.empty() : value;
  }

  static OptionalInt optional(OptionalInt value) {
    return value == null ? OptionalInt.empty() : value;
  }

  static <T> List<T> list(List<T> value) {
    return value == null ? List.of() : List.copyOf(value);
  }

  static <K, V> Map<K, V> map(Map<K, V> value) {
    return value == null ? Map.of() : Map.copyOf(value);
  }
}
