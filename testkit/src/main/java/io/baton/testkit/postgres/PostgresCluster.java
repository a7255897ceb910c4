package io.baton.testkit.postgres;

import io.baton.testkit.cleanup.Directories;
import io.baton.testkit.cleanup.ShutdownCleanup;
import io.baton.testkit.process.Command;
import io.baton.testkit.process.Executables;
import io.baton.testkit.process.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A PostgreSQL 15 streaming-replication cluster on this machine, made by {@link #builder()}:
 * the first node is the primary, the others its standbys. Nothing is running when it is built.
 *
 * <p>{@link #close()} stops every server of the cluster's data directories (however it was
 * started: by this class, by an agent, inside a namespace), kills anything left, and deletes the
 * base directory. A JVM shutdown hook does the same for clusters a test did not close.
 */
public final class PostgresCluster implements AutoCloseable {
  /** Timeouts on every JDBC connection: a session across a network cut hangs ~15 min without. */
  public static final String JDBC_TIMEOUTS = "connectTimeout=2&socketTimeout=30";

  private final PostgresInstallation installation;
  private final Path baseDir;
  private final List<PostgresNode> nodes;
  private final Credentials agent;
  private final Credentials app;
  private final Credentials superuser;
  private final Path pgpassFile;
  private final Path rootCertificate;
  private final ShutdownCleanup.Registration cleanup;
  private boolean closed;

  PostgresCluster(PostgresInstallation installation, Path baseDir, List<PostgresNode> nodes,
      Credentials agent, Credentials app, Credentials superuser, Path pgpassFile,
      Path rootCertificate) {
    this.installation = installation;
    this.baseDir = baseDir;
    this.nodes = List.copyOf(nodes);
    this.agent = agent;
    this.app = app;
    this.superuser = superuser;
    this.pgpassFile = pgpassFile;
    this.rootCertificate = rootCertificate;
    this.cleanup = ShutdownCleanup.register(
        ShutdownCleanup.Stage.SERVERS, "PostgreSQL cluster in " + baseDir, this::destroy);
  }

  public static PostgresClusterBuilder builder() {
    return new PostgresClusterBuilder();
  }

  public PostgresInstallation installation() {
    return installation;
  }

  /** The directory holding every node's directory, the password files and the pgpass file. */
  public Path baseDir() {
    return baseDir;
  }

  public List<PostgresNode> nodes() {
    return nodes;
  }

  public PostgresNode node(String name) {
    return nodes.stream()
        .filter(n -> n.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node " + name + " in " + nodes));
  }

  /** The initial primary (the first node). */
  public PostgresNode primary() {
    return nodes.get(0);
  }

  /** {@code baton_agent}: replication, monitoring, promotion, rewind. */
  public Credentials agentCredentials() {
    return agent;
  }

  /** {@code app}: owner of database {@code app}. */
  public Credentials appCredentials() {
    return app;
  }

  /** {@code baton_test}: superuser, for test assertions. */
  public Credentials superuserCredentials() {
    return superuser;
  }

  /** A pgpass file (0600, owned by the PostgreSQL OS user) with baton_agent's password. */
  public Path pgpassFile() {
    return pgpassFile;
  }

  /**
   * The certificate of the authority that signed every node's certificate (PEM, readable by
   * everyone): what a client verifying the nodes ({@code sslmode=verify-full}) trusts.
   */
  public Path rootCertificate() {
    return rootCertificate;
  }

  /**
   * The libpq {@code primary_conninfo} that makes {@code standby} stream from {@code primary}:
   * as baton_agent with the password from {@link #pgpassFile()}, over TLS verifying the
   * primary's certificate, and the standby's name as application_name.
   */
  public String primaryConninfo(PostgresNode primary, PostgresNode standby) {
    return "host=" + primary.host() + " port=" + primary.port() + " user=" + agent.user()
        + " passfile=" + pgpassFile + " application_name=" + standby.name()
        + " sslmode=verify-full sslrootcert=" + rootCertificate + " connect_timeout=2";
  }

  /** A JDBC URL for one node, with {@linkplain #JDBC_TIMEOUTS timeouts}. No credentials. */
  public String jdbcUrl(PostgresNode node, String database) {
    return "jdbc:postgresql://" + node.hostPort() + "/" + database + "?" + JDBC_TIMEOUTS;
  }

  /**
   * A JDBC URL listing every node that connects to whichever is primary, as the benchmark's probe
   * does: {@code targetServerType=primary&connectTimeout=1&socketTimeout=2&hostRecheckSeconds=0}.
   */
  public String multiHostJdbcUrl(String database) {
    return "jdbc:postgresql://"
        + nodes.stream().map(PostgresNode::hostPort).collect(Collectors.joining(","))
        + "/" + database
        + "?targetServerType=primary&connectTimeout=1&socketTimeout=2&hostRecheckSeconds=0";
  }

  public Connection connect(PostgresNode node, String database, Credentials credentials)
      throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", credentials.user());
    props.setProperty("password", credentials.password());
    return DriverManager.getConnection(jdbcUrl(node, database), props);
  }

  /** A superuser connection to database {@code postgres} on {@code node}. */
  public Connection superuserConnection(PostgresNode node) throws SQLException {
    return connect(node, "postgres", superuser);
  }

  /**
   * Starts a node's server as the PostgreSQL OS user (inside its namespace, if it has one) and
   * waits until it accepts connections: for tests that observe PostgreSQL without agents.
   */
  public void startManually(PostgresNode node) {
    pgCtl(node, true, "start", "-w", "-t", "60", "-l", node.logFile().toString(),
        "-o", node.serverOptions());
  }

  /** Stops a node's server and waits until it is gone. */
  public void stopManually(PostgresNode node, StopMode mode) {
    pgCtl(node, false, "stop", "-w", "-t", "60", "-m", mode.pgCtlName());
  }

  /** The postmaster's pid, when the node's server is running. */
  public Optional<Long> postmasterPid(PostgresNode node) {
    Path pidFile = node.dataDir().resolve("postmaster.pid");
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(pidFile);
      if (lines.isEmpty()) {
        return Optional.empty();
      }
      long pid = Long.parseLong(lines.get(0).strip());
      return isServerOf(pid, node.dataDir()) ? Optional.of(pid) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      // Half-written while the server starts or vanished while it stops: not running yet/now.
      return Optional.empty();
    }
  }

  public boolean isRunning(PostgresNode node) {
    return postmasterPid(node).isPresent();
  }

  /**
   * SIGKILLs the node's postmaster and all its children at once, like the node dying. Returns
   * whether there was a server to kill. The data directory keeps a stale {@code postmaster.pid};
   * PostgreSQL refuses to start on it until the killed process has been reaped.
   */
  public boolean killPostmaster(PostgresNode node) {
    Optional<Long> pid = postmasterPid(node);
    pid.flatMap(ProcessHandle::of).ifPresent(Processes::killTree);
    return pid.isPresent();
  }

  void pgCtl(PostgresNode node, boolean inNamespace, String... args) {
    List<String> command = new ArrayList<>();
    if (inNamespace && node.namespace().isPresent()) {
      command.addAll(List.of(Executables.ip().toString(), "netns", "exec", node.namespace().get()));
    }
    List<String> pgCtl = new ArrayList<>(List.of(installation.tool("pg_ctl"), "-D",
        node.dataDir().toString()));
    pgCtl.addAll(List.of(args));
    command.addAll(installation.runAs(pgCtl));
    Command.Result result = Command.of(command)
        .directory(baseDir)
        .timeout(Duration.ofSeconds(90))
        .run();
    if (!result.succeeded()) {
      throw new IllegalStateException("pg_ctl " + args[0] + " of " + node.name() + " failed (exit "
          + result.exitCode() + "): " + result.output().strip() + "\nlast server log lines:\n"
          + logTail(node));
    }
  }

  private static String logTail(PostgresNode node) {
    try {
      List<String> lines = Files.readAllLines(node.logFile());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Whether {@code pid} is a live server process of {@code dataDir}: PostgreSQL processes run
   * with their data directory as working directory. This guards against a stale pid file whose
   * pid now belongs to an unrelated process.
   */
  private static boolean isServerOf(long pid, Path dataDir) {
    if (!Processes.isRunning(pid)) {
      return false;
    }
    try {
      return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"))
          .equals(dataDir.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops every server of the cluster, kills what is left, deletes the base directory. */
  @Override
  public void close() {
    cleanup.cancel();
    destroy();
  }

  private synchronized void destroy() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (PostgresNode node : nodes) {
        if (isRunning(node)) {
          try {
            pgCtl(node, false, "stop", "-w", "-t", "10", "-m", "immediate");
          } catch (RuntimeException e) {
            // Killed below, with anything else still working in the cluster's directories.
          }
        }
      }
      for (ProcessHandle process : processesInside(baseDir)) {
        Processes.killTree(process);
      }
    } finally {
      Directories.deleteRecursively(baseDir);
    }
  }

  /**
   * Processes whose working directory is inside {@code dir}: the servers (postmasters and their
   * children, also orphaned ones) and tools like pg_rewind run on the cluster by an agent.
   */
  private static List<ProcessHandle> processesInside(Path dir) {
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      return List.of();
    }
    try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
      return proc
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(p -> {
            try {
              return Files.readSymbolicLink(p.resolve("cwd")).startsWith(real);
            } catch (IOException | UnsupportedOperationException e) {
              return false;
            }
          })
          .map(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString())))
          .flatMap(Optional::stream)
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  @Override
  public String toString() {
    return "PostgresCluster" + nodes.stream().map(n -> n.name() + "@" + n.hostPort()).toList();
  }
}
