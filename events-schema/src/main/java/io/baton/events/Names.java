package io.baton.events;

import java.util.regex.Pattern;

/**
 * The one pattern for identifiers: cluster and node names, request ids and agent incarnations.
 * They become Kafka keys ({@code cluster/node}), PostgreSQL {@code application_name}s, entries of
 * {@code synchronous_standby_names}, file names, environment variables of hooks and words of log
 * lines, so they are kept to characters that need no quoting anywhere: 1 to 63 lowercase letters,
 * digits, {@code -} or {@code _}, starting with a letter or digit (a UUID fits).
 */
public final class Names {
  /**
   * The pattern, as the JSON Schema states it ({@code common.schema.json#/$defs/name}). It ends
   * in {@code (?![\s\S])}, "nothing follows", rather than {@code $}, which Java's regular
   * expressions also match before a final line break.
   */
  public static final String PATTERN = "^[a-z0-9][a-z0-9_-]{0,62}(?![\\s\\S])";

  static final String RULE =
      "use 1 to 63 lowercase letters, digits, '-' or '_', starting with a letter or digit";

  private static final Pattern VALID = Pattern.compile(PATTERN);

  private Names() {}

  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  /** Returns the name, or throws naming the field and the rule it breaks. */
  public static String require(String field, String name) {
    Fields.required(field, name);
    if (!isValid(name)) {
      throw new InvalidFieldException(
          field, Printable.quote(name) + " is not a valid name: " + RULE);
    }
    return name;
  }
}
