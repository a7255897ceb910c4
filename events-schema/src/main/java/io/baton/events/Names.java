package io.baton.events;

import java.util.regex.Pattern;

/**
 * Cluster and node names. They become Kafka keys ({@code cluster/node}), PostgreSQL
 * {@code application_name}s and entries of {@code synchronous_standby_names}, so they are
 * kept to characters that need no quoting anywhere.
 */
public final class Names {
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  private Names() {}

  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  /** Returns the name, or throws naming the field and the rule it breaks. */
  public static String require(String field, String name) {
    Fields.required(field, name);
    if (!isValid(name)) {
      throw new InvalidFieldException(
          field,
          "'" + name + "' is not a valid name: use 1 to 63 lowercase letters, digits, '-' or '_',"
              + " starting with a letter or digit");
    }
    return name;
  }
}
