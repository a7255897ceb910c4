package io.baton.cli.rollingrestart;

import io.baton.events.Hosts;
import io.baton.events.Printable;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The agent API URL a heartbeat advertises, checked before the CLI calls it or hands it to a
 * restart command: an {@code http} or {@code https} URL of a host (see {@link Hosts}), with an
 * optional port and path, and nothing else: no user, query, fragment or control character.
 */
final class AgentUrl {
  private AgentUrl() {}

  /** The URL, parsed; throws when it is anything else. */
  static URI require(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalid(url);
    }
    String host = uri.getHost();
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    boolean valid = ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        && Printable.isPrintable(url) && Hosts.isValid(host) && uri.getRawUserInfo() == null
        && uri.getRawQuery() == null && uri.getRawFragment() == null
        && (uri.getPort() == -1 || (uri.getPort() >= 1 && uri.getPort() <= 65535));
    if (!valid) {
      throw invalid(url);
    }
    return uri;
  }

  private static IllegalArgumentException invalid(String url) {
    return new IllegalArgumentException("agent API URL " + Printable.quote(url)
        + " is not an http(s) URL of a host (without user, query or fragment)");
  }
}
