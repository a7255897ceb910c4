package io.baton.testkit.postgres;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One node of a {@link PostgresCluster}: where its data lives and where it listens.
 *
 * <p>The node-specific settings (port, listen address, socket directory, log file) live in
 * {@code <node dir>/node.conf}, outside the data directory, and the data directory's {@code
 * postgresql.conf} includes {@code ../node.conf}. So a plain {@code pg_ctl start -D <dataDir>}
 * starts the node with its own settings, even after {@code pg_basebackup} or {@code pg_rewind}
 * copied another node's {@code postgresql.conf} over it.
 *
 * @param name the node's name, also its {@code application_name} as a standby
 * @param dataDir the data directory ({@code PGDATA}), owned by the PostgreSQL OS user
 * @param host the only address PostgreSQL listens on
 * @param port its TCP port (also the number in its unix socket's name)
 * @param socketDir the directory of its unix socket
 * @param logFile the server log
 * @param namespace the network namespace the server must run in, when {@code host} is a
 *     namespace address
 */
public record PostgresNode(
    String name,
    Path dataDir,
    String host,
    int port,
    Path socketDir,
    Path logFile,
    Optional<String> namespace) {

  /** The node's own directory, holding the data directory, socket directory and node.conf. */
  public Path nodeDir() {
    return dataDir.getParent();
  }

  /**
   * Server options for {@code pg_ctl -o}, repeating what node.conf says; handy for a command line
   * that should show where the server listens.
   */
  public String serverOptions() {
    return "-p " + port + " -k " + socketDir + " -c listen_addresses=" + host;
  }

  /** The node's TLS certificate, issued by the cluster's authority for its host and 127.0.0.1. */
  public Path certificate() {
    return nodeDir().resolveSibling("tls").resolve(name + ".crt");
  }

  /** The private key of {@link #certificate()}, readable by the PostgreSQL OS user only. */
  public Path privateKey() {
    return nodeDir().resolveSibling("tls").resolve(name + ".key");
  }

  /** {@code host:port}, as in a libpq multi-host string. */
  public String hostPort() {
    return host + ":" + port;
  }

  /** Arguments that make a libpq tool connect over this node's unix socket. */
  public List<String> socketConnectionArgs() {
    return List.of("-h", socketDir.toString(), "-p", Integer.toString(port));
  }
}
