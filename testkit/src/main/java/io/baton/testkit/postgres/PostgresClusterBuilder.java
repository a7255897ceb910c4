package io.baton.testkit.postgres;

import io.baton.testkit.cleanup.Directories;
import io.baton.testkit.net.FreePorts;
import io.baton.testkit.process.Command;
import io.baton.testkit.tls.CertificateAuthority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a fresh streaming-replication cluster: {@code initdb --data-checksums} for the first
 * node, roles and the {@code app} database on it, then {@code pg_basebackup} of it for every
 * other node, set up as a standby of the first. Nothing runs when {@link #build()} returns: the
 * agents start PostgreSQL themselves (or a test calls {@link PostgresCluster#startManually}).
 *
 * <p>Roles, each with a random password (see {@link PostgresCluster#agentCredentials()} etc.):
 *
 * <ul>
 *   <li>{@code baton_agent}: exactly what {@code deploy/postgres/roles.sql} grants (the test kit
 *       runs that file, and {@code set-password.sql} for the password).
 *   <li>{@code app}: LOGIN, owner of database {@code app}.
 *   <li>{@code baton_test}: a superuser for test assertions over TCP (JDBC has no unix sockets).
 * </ul>
 *
 * <p>TLS: a throwaway certificate authority (in the cluster's directory, removed with it; its key
 * is deleted once the node certificates are issued) signs one server certificate per node, for
 * its host and 127.0.0.1. Every node runs with {@code ssl = on}.
 *
 * <p>pg_hba.conf: {@code local all all trust}; scram-sha-256 over TCP from 127.0.0.1, from each
 * node's host, and from the /24 of each non-loopback host (the network lab's subnet, whose
 * bridge address the test JVM connects from). Replication and {@code baton_agent} only over
 * TLS ({@code hostssl}; {@code baton_agent} is rejected without it); other roles either way
 * (PgBouncer and the write probes connect without TLS).
 */
public final class PostgresClusterBuilder {
  private static final Logger log = LoggerFactory.getLogger(PostgresClusterBuilder.class);
  private static final Duration PG_TIMEOUT = Duration.ofSeconds(120);

  private record NodeSpec(String name, String host, Optional<String> namespace) {}

  private final List<NodeSpec> specs = new ArrayList<>();
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final Set<String> clientNetworks = new LinkedHashSet<>();
  private Optional<PostgresInstallation> installation = Optional.empty();

  PostgresClusterBuilder() {}

  /** {@code count} nodes named n1..n{count} on 127.0.0.1, each on its own free port. */
  public PostgresClusterBuilder nodes(int count) {
    for (int i = 1; i <= count; i++) {
      node("n" + i, "127.0.0.1");
    }
    return this;
  }

  /** A node listening on {@code host} in the root network namespace. The first is the primary. */
  public PostgresClusterBuilder node(String name, String host) {
    return addNode(name, host, Optional.empty());
  }

  /** A node that runs inside network namespace {@code namespace} and listens on {@code host}. */
  public PostgresClusterBuilder node(String name, String host, String namespace) {
    return addNode(name, host, Optional.of(namespace));
  }

  private PostgresClusterBuilder addNode(String name, String host, Optional<String> namespace) {
    if (!name.matches("[a-z][a-z0-9_]*")) {
      // The name doubles as application_name and in synchronous_standby_names lists.
      throw new IllegalArgumentException("node name '" + name + "' must match [a-z][a-z0-9_]*");
    }
    if (specs.stream().anyMatch(s -> s.name().equals(name))) {
      throw new IllegalArgumentException("two nodes named " + name);
    }
    specs.add(new NodeSpec(name, host, namespace));
    return this;
  }

  /** A cluster-wide postgresql.conf setting, added after (so overriding) the defaults. */
  public PostgresClusterBuilder setting(String name, String value) {
    settings.put(name, value);
    return this;
  }

  /** Allows password connections from another network, e.g. {@code 10.77.3.0/24}. */
  public PostgresClusterBuilder allowClientNetwork(String cidr) {
    clientNetworks.add(cidr);
    return this;
  }

  public PostgresClusterBuilder installation(PostgresInstallation installation) {
    this.installation = Optional.of(installation);
    return this;
  }

  /**
   * Creates the cluster; on failure removes everything it made.
   *
   * @throws io.baton.testkit.MissingToolException when PostgreSQL 15 is not installed
   */
  public PostgresCluster build() {
    if (specs.isEmpty()) {
      throw new IllegalStateException("a cluster needs at least one node");
    }
    PostgresInstallation pg = installation.orElseGet(PostgresInstallation::detect);
    OwnedFiles files = new OwnedFiles(pg);
    long started = System.nanoTime();
    Path base = createBaseDirectory(files);
    PostgresCluster cluster = null;
    try {
      List<Integer> ports = FreePorts.loopback(specs.size());
      List<PostgresNode> nodes = new ArrayList<>();
      for (int i = 0; i < specs.size(); i++) {
        NodeSpec spec = specs.get(i);
        Path nodeDir = files.directory(base.resolve(spec.name()));
        nodes.add(new PostgresNode(spec.name(), nodeDir.resolve("data"), spec.host(), ports.get(i),
            files.directory(nodeDir.resolve("socket")), nodeDir.resolve("postgresql.log"),
            spec.namespace()));
      }
      Credentials agent = credentials(files, base, "baton_agent");
      Credentials app = credentials(files, base, "app");
      Credentials superuser = credentials(files, base, "baton_test");
      Path pgpass = files.secretFile(base.resolve("pgpass"), pgpass(nodes, agent));
      Path rootCertificate = certificates(files, base, nodes);
      cluster = new PostgresCluster(pg, base, nodes, agent, app, superuser, pgpass,
          rootCertificate);

      PostgresNode primary = nodes.get(0);
      initdb(pg, base, primary);
      files.append(primary.dataDir().resolve("postgresql.conf"), postgresqlConf());
      files.file(primary.dataDir().resolve("pg_hba.conf"), pgHba(nodes));
      for (PostgresNode node : nodes) {
        files.file(node.nodeDir().resolve("node.conf"), nodeConf(node));
      }
      // Bootstrapped over loopback in the root namespace, whatever the node's own host: the
      // namespaces may not exist yet, and nothing else needs to reach the cluster meanwhile.
      cluster.pgCtl(primary, false, "start", "-w", "-t", "60", "-l", primary.logFile().toString(),
          "-o", "-c listen_addresses=127.0.0.1");
      createRoles(pg, files, base, primary, agent, app, superuser);
      List<CompletableFuture<Void>> backups = new ArrayList<>();
      PostgresCluster built = cluster;
      for (PostgresNode standby : nodes.subList(1, nodes.size())) {
        backups.add(CompletableFuture.runAsync(() -> baseBackup(pg, files, base, primary, standby,
            pgpass, rootCertificate, built.primaryConninfo(primary, standby))));
      }
      try {
        CompletableFuture.allOf(backups.toArray(CompletableFuture[]::new)).join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
      cluster.stopManually(primary, StopMode.FAST);
      log.info("PostgreSQL cluster of {} nodes built in {} ms in {}", nodes.size(),
          Duration.ofNanos(System.nanoTime() - started).toMillis(), base);
      return cluster;
    } catch (RuntimeException | Error e) {
      if (cluster != null) {
        cluster.close();
      } else {
        Directories.deleteRecursively(base);
      }
      throw e;
    }
  }

  /**
   * The authority's certificate, readable by everyone (a standby's WAL receiver reads it as the
   * PostgreSQL OS user); each node's certificate and key ({@code <node>.crt}, {@code <node>.key},
   * the key readable by the PostgreSQL OS user only, as PostgreSQL demands).
   */
  private static Path certificates(OwnedFiles files, Path base, List<PostgresNode> nodes) {
    Path tls = base.resolve("tls");
    try {
      Files.createDirectories(tls);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + tls, e);
    }
    CertificateAuthority ca = CertificateAuthority.create(tls, "Baton test cluster CA");
    for (PostgresNode node : nodes) {
      Set<String> hosts = new LinkedHashSet<>(List.of(node.host(), "127.0.0.1"));
      CertificateAuthority.ServerCertificate issued = ca.issue(node.name(), List.copyOf(hosts));
      files.readable(issued.certificate());
      files.owned(issued.key());
    }
    ca.forgetKey();
    files.readable(ca.certificate());
    files.readable(tls);
    return ca.certificate();
  }

  private static Path createBaseDirectory(OwnedFiles files) {
    try {
      return files.directory(Files.createTempDirectory("baton-pg-"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory", e);
    }
  }

  private static Credentials credentials(OwnedFiles files, Path base, String user) {
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    // URL-safe base64 has no quote, colon or backslash: safe in SQL literals and pgpass lines.
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    return new Credentials(user, password,
        files.secretFile(base.resolve(user + ".password"), password + "\n"));
  }

  private static String pgpass(List<PostgresNode> nodes, Credentials agent) {
    StringBuilder lines = new StringBuilder();
    Set<String> hosts = new LinkedHashSet<>();
    for (PostgresNode node : nodes) {
      hosts.add(node.host() + ":" + node.port());
      hosts.add("127.0.0.1:" + node.port());
    }
    for (String hostPort : hosts) {
      lines.append(hostPort).append(":*:").append(agent.user()).append(':')
          .append(agent.password()).append('\n');
    }
    return lines.toString();
  }

  private static void initdb(PostgresInstallation pg, Path base, PostgresNode primary) {
    // --no-sync: a test cluster does not need to survive a machine crash; saves ~1 s.
    Command.of(pg.runAs(List.of(pg.tool("initdb"), "-D", primary.dataDir().toString(),
            "--data-checksums", "--no-sync", "--encoding=UTF8", "--locale=C",
            "--auth-local=trust", "--auth-host=scram-sha-256", "--username=postgres")))
        .directory(base)
        .timeout(PG_TIMEOUT)
        .runOrThrow();
  }

  private String postgresqlConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("wal_level", "replica");
    conf.put("hot_standby", "on");
    conf.put("max_wal_senders", "10");
    conf.put("max_replication_slots", "10");
    conf.put("wal_keep_size", "'256MB'");
    conf.put("wal_log_hints", "on");
    conf.put("shared_buffers", "'32MB'");
    conf.put("max_connections", "50");
    // Notice a dead peer in seconds, not the default minute.
    conf.put("wal_sender_timeout", "'5s'");
    conf.put("wal_receiver_timeout", "'5s'");
    conf.put("wal_receiver_status_interval", "'1s'");
    // A standby retries its primary every second instead of every five.
    conf.put("wal_retrieve_retry_interval", "'1s'");
    conf.put("logging_collector", "on");
    conf.put("log_filename", "'postgresql.log'");
    conf.put("log_rotation_age", "0");
    conf.put("log_rotation_size", "0");
    conf.put("log_line_prefix", "'%m [%p] %q%u@%d '");
    conf.put("ssl", "on");
    conf.putAll(settings);
    StringBuilder text = new StringBuilder("\n# Baton test cluster\n");
    conf.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
    // Last, so the node's own port and addresses win. Relative to this file's directory.
    text.append("include_if_exists = '../node.conf'\n");
    return text.toString();
  }

  private static String nodeConf(PostgresNode node) {
    return "# Settings of node " + node.name() + " only; included by data/postgresql.conf\n"
        + "port = " + node.port() + "\n"
        + "listen_addresses = '" + node.host() + "'\n"
        + "unix_socket_directories = '" + node.socketDir() + "'\n"
        + "log_directory = '" + node.nodeDir() + "'\n"
        + "cluster_name = '" + node.name() + "'\n"
        + "ssl_cert_file = '" + node.certificate() + "'\n"
        + "ssl_key_file = '" + node.privateKey() + "'\n";
  }

  private String pgHba(List<PostgresNode> nodes) {
    Set<String> networks = new LinkedHashSet<>();
    networks.add("127.0.0.1/32");
    for (PostgresNode node : nodes) {
      networks.add(node.host() + "/32");
      if (!isLoopback(node.host())) {
        networks.add(node.host().substring(0, node.host().lastIndexOf('.')) + ".0/24");
      }
    }
    networks.addAll(clientNetworks);
    StringBuilder hba = new StringBuilder("# Baton test cluster\n")
        .append("local all all trust\n")
        .append("local replication all trust\n");
    for (String network : networks) {
      hba.append("hostssl replication all ").append(network).append(" scram-sha-256\n");
      hba.append("hostssl all baton_agent ").append(network).append(" scram-sha-256\n");
      hba.append("hostnossl all baton_agent ").append(network).append(" reject\n");
      hba.append("host all all ").append(network).append(" scram-sha-256\n");
    }
    return hba.toString();
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("node host " + host + " is not an address", e);
    }
  }

  private static void createRoles(PostgresInstallation pg, OwnedFiles files, Path base,
      PostgresNode primary, Credentials agent, Credentials app, Credentials superuser) {
    // The agent's role exactly as deploy/postgres/roles.sql grants it, its password set by
    // deploy/postgres/set-password.sql from standard input, as the operator does.
    psql(pg, base, primary, List.of("-f", deployScript(files, base, "roles.sql").toString()), "");
    psql(pg, base, primary, List.of("-f", deployScript(files, base, "set-password.sql").toString()),
        agent.password() + "\n");
    // Passwords travel on stdin, never as arguments. A failing statement must not be logged
    // with its text, which would hold a password.
    String sql = String.join("\n",
        "SET log_min_error_statement = panic;",
        "CREATE ROLE app WITH LOGIN PASSWORD '" + app.password() + "';",
        "CREATE ROLE baton_test WITH LOGIN SUPERUSER PASSWORD '" + superuser.password() + "';",
        "CREATE DATABASE app OWNER app;",
        "");
    psql(pg, base, primary, List.of("-f", "-"), sql);
  }

  private static void psql(PostgresInstallation pg, Path base, PostgresNode primary,
      List<String> script, String stdin) {
    List<String> psql = new ArrayList<>(List.of(pg.tool("psql"), "-X", "-q",
        "-v", "ON_ERROR_STOP=1", "-U", "postgres", "-d", "postgres"));
    psql.addAll(script);
    psql.addAll(primary.socketConnectionArgs());
    Command.of(pg.runAs(psql)).directory(base).stdin(stdin).timeout(PG_TIMEOUT).runOrThrow();
  }

  /** A script of {@code deploy/postgres}, packaged with the test kit, as a file psql can read. */
  private static Path deployScript(OwnedFiles files, Path base, String name) {
    String resource = "deploy/" + name;
    try (var in = PostgresClusterBuilder.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the test kit lacks " + resource + ": build it with Maven,"
            + " which copies deploy/postgres/" + name + " into it");
      }
      return files.file(base.resolve(name),
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + resource, e);
    }
  }

  private static void baseBackup(PostgresInstallation pg, OwnedFiles files, Path base,
      PostgresNode primary, PostgresNode standby, Path pgpass, Path rootCertificate,
      String primaryConninfo) {
    Command.of(pg.runAs(List.of(pg.tool("pg_basebackup"),
            "-h", "127.0.0.1", "-p", Integer.toString(primary.port()), "-U", "baton_agent",
            "--no-password", "-D", standby.dataDir().toString(), "--wal-method=stream",
            "--checkpoint=fast", "--no-sync")))
        .env("PGPASSFILE", pgpass.toString())
        .env("PGSSLMODE", "verify-full")
        .env("PGSSLROOTCERT", rootCertificate.toString())
        .directory(base)
        .timeout(PG_TIMEOUT)
        .runOrThrow();
    // What pg_basebackup -R would write, but pointing at the primary's own host (the backup
    // went over loopback) and with the node's name as application_name, so the primary's
    // pg_stat_replication and synchronous_standby_names can name it.
    files.file(standby.dataDir().resolve("standby.signal"), "");
    files.append(standby.dataDir().resolve("postgresql.auto.conf"),
        "primary_conninfo = '" + primaryConninfo + "'\n");
  }
}
