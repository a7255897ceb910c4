package io.baton.events;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How enum constants are spelled on the wire: lowercase, words joined by '-'. */
final class Wire {
  private Wire() {}

  static String name(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static <E extends Enum<E>> E parse(Class<E> type, String text) {
    for (E constant : type.getEnumConstants()) {
      if (name(constant).equals(text)) {
        return constant;
      }
    }
    String expected =
        Arrays.stream(type.getEnumConstants()).map(Wire::name).collect(Collectors.joining(", "));
    throw new IllegalArgumentException(
        "unknown value " + Printable.quote(text) + " (expected one of " + expected + ")");
  }
}
