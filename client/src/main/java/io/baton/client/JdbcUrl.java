package io.baton.client;

import io.baton.events.Hosts;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JDBC URL of one PostgreSQL server. The database name and the parameters are URL-encoded;
 * the host is written as it is, so it must be a host and nothing else, whatever record it came
 * from: a host like {@code db/app?sslmode=disable&x=} would otherwise choose the database and
 * override the application's own parameters, and one with a comma would add servers.
 */
final class JdbcUrl {
  private JdbcUrl() {}

  /**
   * {@code jdbc:postgresql://host:port/database?name=value&...}, parameters sorted by name.
   *
   * @throws IllegalArgumentException when {@code host} is not a host or {@code port} not a port
   */
  static String of(String host, int port, String database, Map<String, String> parameters) {
    StringBuilder url = new StringBuilder("jdbc:postgresql://")
        .append(Hosts.withPort(host, port)).append('/').append(encode(database));
    char separator = '?';
    for (Map.Entry<String, String> parameter : new TreeMap<>(parameters).entrySet()) {
      url.append(separator).append(encode(parameter.getKey())).append('=')
          .append(encode(parameter.getValue()));
      separator = '&';
    }
    return url.toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
