package io.baton.runtime;

import io.baton.events.Hosts;
import io.baton.events.Names;
import io.baton.events.Printable;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks of configuration values, run by the settings records' constructors so a bad value
 * stops the application at start with the key's name. (Constraint annotations on
 * {@code @ConfigurationProperties} records were not enforced by Micronaut 4.10 here.)
 */
public final class Checks {
  private Checks() {}

  /** An unset list as empty; otherwise an immutable copy. */
  public static <T> List<T> orEmpty(List<T> values) {
    return values == null ? List.of() : List.copyOf(values);
  }

  public static String notBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigurationException(key + " must not be empty");
    }
    return value;
  }

  public static <T extends Collection<?>> T notEmpty(String key, T values, String hint) {
    if (values == null || values.isEmpty()) {
      throw new ConfigurationException(key + " must not be empty: " + hint);
    }
    return values;
  }

  public static Duration positive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new ConfigurationException(key + " must be a positive duration such as 5s, not "
          + value);
    }
    return value;
  }

  public static int between(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigurationException(key + " must be between " + min + " and " + max
          + ", not " + value);
    }
    return value;
  }

  public static String matches(String key, String value, String regex, String rule) {
    if (value == null || !Pattern.matches(regex, value)) {
      throw new ConfigurationException(key + " '" + value + "' is invalid: " + rule);
    }
    return value;
  }

  /** A host name (RFC 1123) or an IP address, as the events' contract accepts it. */
  public static String host(String key, String value) {
    if (value == null) {
      throw new ConfigurationException(key + " is not set");
    }
    if (!Hosts.isValid(value)) {
      throw new ConfigurationException(key + " " + Printable.quote(value) + " is not a host name"
          + " (RFC 1123: letters, digits, '-' and dots; no '_') or an IPv4 or IPv6 address"
          + " (without brackets)");
    }
    return value;
  }

  /** A cluster or node name. */
  public static String name(String key, String value) {
    if (value == null) {
      throw new ConfigurationException(key + " is not set");
    }
    if (!Names.isValid(value)) {
      throw new ConfigurationException(key + " '" + value + "' is not a valid name: 1 to 63"
          + " lowercase letters, digits, '-' or '_', starting with a letter or digit");
    }
    return value;
  }
}
