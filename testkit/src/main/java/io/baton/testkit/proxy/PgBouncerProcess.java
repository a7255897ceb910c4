package io.baton.testkit.proxy;

import io.baton.testkit.net.FreePorts;
import io.baton.testkit.postgres.Credentials;
import io.baton.testkit.postgres.PostgresInstallation;
import io.baton.testkit.process.ChildProcess;
import io.baton.testkit.process.Command;
import io.baton.testkit.process.Executables;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A real PgBouncer (Debian's 1.18) for tests, as a child process on a free 127.0.0.1 port, with
 * its own pgbouncer.ini, an auth file (scram-sha-256) holding the app user's password and an
 * admin user with a random password, and a {@code [databases]} file it includes, which the
 * subscriber under test rewrites. PgBouncer refuses to run as root, so under root it runs as
 * PostgreSQL's OS user, and its directory is handed over to that user.
 */
public final class PgBouncerProcess implements AutoCloseable {
  public static final String INSTALL_HINT =
      "install PgBouncer: `apt-get install pgbouncer` (PgBouncer 1.18 on Debian bookworm)";
  public static final String ADMIN_USER = "baton_admin";

  private final Path directory;
  private final int port;
  private final String adminPassword;
  private final Path adminPasswordFile;
  private final Path databasesFile;
  private final ChildProcess process;

  private PgBouncerProcess(Path directory, int port, String adminPassword, Path adminPasswordFile,
      Path databasesFile, ChildProcess process) {
    this.directory = directory;
    this.port = port;
    this.adminPassword = adminPassword;
    this.adminPasswordFile = adminPasswordFile;
    this.databasesFile = databasesFile;
    this.process = process;
  }

  /**
   * Starts PgBouncer in {@code directory} with {@code initialDatabases} as the content of the
   * included databases file, e.g. {@code "[databases]\napp = host=127.0.0.1 port=5432\n"}.
   *
   * @param poolMode {@code transaction} or {@code session}
   */
  public static PgBouncerProcess start(Path directory, String poolMode, Credentials app,
      String initialDatabases) throws IOException, InterruptedException {
    Path binary = Executables.find("pgbouncer", INSTALL_HINT);
    PostgresInstallation pg = PostgresInstallation.detect();
    int port = FreePorts.loopback();
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String adminPassword = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path databases = directory.resolve("databases.ini");
    Files.writeString(databases, initialDatabases);
    Path authFile = directory.resolve("userlist.txt");
    Files.writeString(authFile, "\"" + app.user() + "\" \"" + app.password() + "\"\n\""
        + ADMIN_USER + "\" \"" + adminPassword + "\"\n");
    Files.setPosixFilePermissions(authFile, PosixFilePermissions.fromString("rw-------"));
    Path adminPasswordFile = directory.resolve("admin.password");
    Files.writeString(adminPasswordFile, adminPassword + "\n");
    Files.setPosixFilePermissions(adminPasswordFile, PosixFilePermissions.fromString("rw-------"));
    Path ini = directory.resolve("pgbouncer.ini");
    Files.writeString(ini, String.join("\n",
        "[databases]",
        "%include " + databases,
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        "listen_port = " + port,
        "unix_socket_dir =",
        "auth_type = scram-sha-256",
        "auth_file = " + authFile,
        "admin_users = " + ADMIN_USER,
        "pool_mode = " + poolMode,
        // pgjdbc sends it at startup; PgBouncer refuses unknown startup parameters.
        "ignore_startup_parameters = extra_float_digits",
        "server_connect_timeout = 2",
        "logfile =",
        "pidfile =",
        ""));
    if (pg.switchesUser()) {
      Command.of("chown", "-R", pg.osUser() + ":" + pg.osUser(), directory.toString())
          .runOrThrow();
      Command.of("chmod", "755", directory.toString()).runOrThrow();
    }
    ChildProcess process = ChildProcess.builder("pgbouncer",
        pg.runAs(List.of(binary.toString(), ini.toString()))).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!listening(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.killTree();
        throw new IllegalStateException("PgBouncer did not listen on 127.0.0.1:" + port
            + "; output:\n" + String.join("\n", process.lines()));
      }
      Thread.sleep(10);
    }
    return new PgBouncerProcess(directory, port, adminPassword, adminPasswordFile, databases,
        process);
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  public Path directory() {
    return directory;
  }

  public String adminPassword() {
    return adminPassword;
  }

  /** The admin password in a file (0600), as the subscriber reads it. */
  public Path adminPasswordFile() {
    return adminPasswordFile;
  }

  public Path databasesFile() {
    return databasesFile;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public List<String> output() {
    return process.lines();
  }

  @Override
  public void close() {
    process.killTree();
  }
}
