package io.baton.events;

/**
 * Text from records, made safe to print on one line. Free-text fields (reasons, messages,
 * details, errors) may hold any character, and so may a record that breaks the contract; wherever
 * such text is logged or shown, a line break in it would let its writer start a line of their own
 * (a forged decision in the coordinator's log), and a terminal escape or a bidirectional override
 * would change what the reader sees. So those characters are written as escapes instead.
 *
 * <p>Escaping is idempotent (a backslash is left as it is), so text escaped twice reads the same.
 */
public final class Printable {
  /** Longer values are cut in messages: a megabyte of host name helps nobody read an error. */
  private static final int QUOTED_AT_MOST = 100;

  private Printable() {}

  /**
   * The text with every character that could break a line or change how the line is shown
   * written as an escape: {@code \n}, {@code \r}, {@code \t}, else {@code \\uXXXX}.
   */
  public static String escape(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder escaped = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!needsEscape(c)) {
        if (escaped != null) {
          escaped.append(c);
        }
        continue;
      }
      if (escaped == null) {
        escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      switch (c) {
        case '\n' -> escaped.append("\\n");
        case '\r' -> escaped.append("\\r");
        case '\t' -> escaped.append("\\t");
        default -> escaped.append(String.format("\\u%04x", (int) c));
      }
    }
    return escaped == null ? text : escaped.toString();
  }

  /** A value for an error message: escaped, cut after 100 characters, in single quotes. */
  public static String quote(String value) {
    if (value == null) {
      return "null";
    }
    if (value.length() > QUOTED_AT_MOST) {
      return "'" + escape(value.substring(0, QUOTED_AT_MOST)) + "...' (" + value.length()
          + " characters)";
    }
    return "'" + escape(value) + "'";
  }

  /** Whether the text holds no character that {@link #escape} would change. */
  public static boolean isPrintable(String text) {
    return text.chars().noneMatch(c -> needsEscape((char) c));
  }

  /**
   * Control characters (C0, DEL, C1), the Unicode line and paragraph separators, and the
   * bidirectional marks, embeddings, overrides and isolates.
   */
  private static boolean needsEscape(char c) {
    return Character.isISOControl(c)
        || c == '\u2028' || c == '\u2029'
        || c == '\u061c' || c == '\u200e' || c == '\u200f'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
