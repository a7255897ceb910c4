package io.baton.subscribers.haproxy;

import io.baton.events.Hosts;
import io.baton.events.MasterRecord;
import io.baton.events.Printable;
import java.util.List;
import java.util.Map;

/**
 * Renders the file this subscriber owns: one backend per cluster with a single server, the
 * primary, plus a frontend where a bind address is configured. A cluster whose master is not
 * known yet gets a disabled placeholder server, so the backend exists from HAProxy's start and the
 * Runtime API can point it at the primary later without a reload.
 *
 * <p>The server's address is checked here again, whatever the codec already did: a host holding a
 * line break would start a section of its own (a {@code program} section is run by HAProxy's
 * master process). The node is a name and the epoch a number by the records' own checks.
 */
final class BackendsFile {
  /** Never connected to: the placeholder server is disabled. */
  static final String PLACEHOLDER = "127.0.0.1:1";

  private BackendsFile() {}

  static String render(List<HaproxyClusterConfig> clusters, Map<String, MasterRecord> masters,
      String serverOptions) {
    StringBuilder text = new StringBuilder()
        .append("# Written by Baton's HAProxy subscriber on every change of a primary; edits are\n")
        .append("# overwritten. Load it with an extra -f next to the main configuration.\n");
    if (!Printable.isPrintable(serverOptions)) {
      throw new IllegalArgumentException("baton.haproxy.server-options "
          + Printable.quote(serverOptions) + " holds a line break or another control character");
    }
    String options = serverOptions.isBlank() ? "" : " " + serverOptions.strip();
    for (HaproxyClusterConfig cluster : clusters) {
      MasterRecord master = masters.get(cluster.cluster());
      text.append('\n');
      cluster.bind().ifPresent(bind -> text
          .append("frontend ").append(cluster.backendName()).append("_in\n")
          .append("    mode tcp\n")
          .append("    bind ").append(bind).append('\n')
          .append("    default_backend ").append(cluster.backendName()).append("\n\n"));
      // One server, moved by the Runtime API: retrying a refused connect against the same
      // (old, dead) address only keeps the client waiting a second per retry; better it fails at
      // once and reconnects to wherever the server points by then.
      text.append("backend ").append(cluster.backendName()).append('\n')
          .append("    mode tcp\n")
          .append("    retries 0\n")
          .append("    timeout connect 1s\n");
      if (master == null) {
        text.append("    # cluster ").append(cluster.cluster()).append(": no master known yet\n")
            .append("    server ").append(cluster.serverName()).append(' ').append(PLACEHOLDER)
            .append(" disabled").append(options).append('\n');
      } else {
        text.append("    # cluster ").append(cluster.cluster()).append(": epoch ")
            .append(master.epoch()).append(", node ").append(master.node()).append(", primary since ")
            .append(master.since()).append('\n')
            .append("    server ").append(cluster.serverName()).append(' ')
            .append(hostPort(master.host(), master.port())).append(options).append('\n');
      }
    }
    return text.toString();
  }

  /** The server's address; refuses anything that is not a host and a port. */
  static String hostPort(String host, int port) {
    return Hosts.withPort(host, port);
  }
}
