package io.baton.events;

import java.util.regex.Pattern;

/**
 * Where a PostgreSQL node is reached: a host name (RFC 1123) or an IPv4 or IPv6 address. Hosts
 * from records end up in HAProxy's and PgBouncer's configuration, JDBC URLs, {@code
 * primary_conninfo} and the environment of hooks, each with its own syntax; a value of letters,
 * digits, dots, hyphens and (in IPv6 addresses) colons means the same in all of them and can add
 * nothing to any.
 *
 * <ul>
 *   <li>A host name: labels of 1 to 63 letters, digits or {@code -}, neither starting nor ending
 *       with {@code -}, joined by dots, at most 253 characters, the last label not all digits (so
 *       {@code 1.2.3.256} is no host name). No trailing dot, no underscore.
 *   <li>An IPv4 address in dotted decimal, without leading zeros (which some parsers read as
 *       octal).
 *   <li>An IPv6 address as RFC 3986 writes it ({@code ::1}, {@code fd00::1:2}, {@code
 *       ::ffff:10.0.0.1}), without brackets and without a zone ({@code %eth0}).
 * </ul>
 */
public final class Hosts {
  private static final String END = "(?![\\s\\S])";
  private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
  private static final String HOST_NAME =
      "(?=[\\s\\S]{1,253}" + END + ")(?:" + LABEL + "\\.)*(?![0-9]+" + END + ")" + LABEL;
  private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
  private static final String IPV4 = OCTET + "(?:\\." + OCTET + "){3}";
  private static final String H16 = "[0-9A-Fa-f]{1,4}";
  private static final String LS32 = "(?:" + H16 + ":" + H16 + "|" + IPV4 + ")";
  /** RFC 3986's IPv6address, alternative by alternative. */
  private static final String IPV6 = "(?:"
      + "(?:" + H16 + ":){6}" + LS32
      + "|::(?:" + H16 + ":){5}" + LS32
      + "|(?:" + H16 + ")?::(?:" + H16 + ":){4}" + LS32
      + "|(?:(?:" + H16 + ":){0,1}" + H16 + ")?::(?:" + H16 + ":){3}" + LS32
      + "|(?:(?:" + H16 + ":){0,2}" + H16 + ")?::(?:" + H16 + ":){2}" + LS32
      + "|(?:(?:" + H16 + ":){0,3}" + H16 + ")?::" + H16 + ":" + LS32
      + "|(?:(?:" + H16 + ":){0,4}" + H16 + ")?::" + LS32
      + "|(?:(?:" + H16 + ":){0,5}" + H16 + ")?::" + H16
      + "|(?:(?:" + H16 + ":){0,6}" + H16 + ")?::"
      + ")";

  /**
   * The pattern, as the JSON Schema states it ({@code common.schema.json#/$defs/host}). It ends
   * in {@code (?![\s\S])}, "nothing follows", rather than {@code $}, which Java's regular
   * expressions also match before a final line break.
   */
  public static final String PATTERN = "^(?:" + IPV4 + "|" + IPV6 + "|" + HOST_NAME + ")" + END;

  /**
   * The directory of a Unix socket, as PostgreSQL reports the upstream of a standby connected
   * through one ({@code common.schema.json#/$defs/socketDirectory}): an absolute path without
   * control characters.
   */
  public static final String SOCKET_DIRECTORY_PATTERN =
      "^/[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*" + END;

  static final String RULE =
      "expected a host name (RFC 1123: dot-separated labels of 1 to 63 letters, digits or '-',"
          + " at most 253 characters) or an IPv4 or IPv6 address (without brackets)";

  private static final Pattern VALID = Pattern.compile(PATTERN);
  private static final Pattern SOCKET_DIRECTORY = Pattern.compile(SOCKET_DIRECTORY_PATTERN);
  private static final Pattern IP_ADDRESS = Pattern.compile("^(?:" + IPV4 + "|" + IPV6 + ")" + END);

  private Hosts() {}

  public static boolean isValid(String host) {
    return host != null && VALID.matcher(host).matches();
  }

  /** Whether it is an IPv4 or IPv6 address (not a host name). */
  public static boolean isIpAddress(String host) {
    return host != null && IP_ADDRESS.matcher(host).matches();
  }

  /** Returns the host, or throws naming the field and the rule it breaks. */
  public static String require(String field, String host) {
    Fields.required(field, host);
    if (!isValid(host)) {
      throw new InvalidFieldException(field, Printable.quote(host) + " is not a host: " + RULE);
    }
    return host;
  }

  /** A host, or the socket directory PostgreSQL names when a standby streams through one. */
  public static String requireHostOrSocketDirectory(String field, String value) {
    Fields.required(field, value);
    if (!isValid(value) && !SOCKET_DIRECTORY.matcher(value).matches()) {
      throw new InvalidFieldException(
          field, Printable.quote(value) + " is neither a host (" + RULE + ") nor a socket"
              + " directory (an absolute path without control characters)");
    }
    return value;
  }

  /**
   * {@code host:port}, with an IPv6 address in brackets, as URLs and HAProxy write it. Refuses
   * anything that is not a host or a port, so the result can be put into a URL or a
   * configuration line as it is.
   */
  public static String withPort(String host, int port) {
    require("host", host);
    Fields.port("port", port);
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
