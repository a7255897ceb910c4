package io.baton.testkit.postgres;

import io.baton.testkit.MissingToolException;
import io.baton.testkit.process.Command;
import io.baton.testkit.process.Executables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL 15 binaries and the OS user to run them as.
 *
 * <p>The binaries come from {@value #BIN_ENV} when set, else {@value #DEFAULT_BIN_DIR} (Debian's
 * {@code postgresql-15}). PostgreSQL refuses to run as root, and CI runs as root: then every
 * PostgreSQL tool runs as the {@code postgres} OS user, through {@code setpriv}, and the files it
 * touches must belong to that user. As any other user, the tools run as that user.
 */
public final class PostgresInstallation {
  public static final String BIN_ENV = "BATON_PG_BIN";
  public static final String DEFAULT_BIN_DIR = "/usr/lib/postgresql/15/bin";
  private static final String INSTALL_HINT =
      "install it with `apt-get install postgresql-15` (or run ./dev setup), or point "
          + BIN_ENV + " at a PostgreSQL 15 bin directory";

  private static PostgresInstallation detected;

  private final Path binDir;
  private final String osUser;
  private final List<String> runAsPrefix;

  private PostgresInstallation(Path binDir, String osUser, List<String> runAsPrefix) {
    this.binDir = binDir;
    this.osUser = osUser;
    this.runAsPrefix = runAsPrefix;
  }

  /**
   * Finds and checks the installation once per JVM.
   *
   * @throws MissingToolException when PostgreSQL 15 or the {@code postgres} user is missing
   */
  public static synchronized PostgresInstallation detect() {
    if (detected == null) {
      detected = check();
    }
    return detected;
  }

  private static PostgresInstallation check() {
    return at(Path.of(Optional.ofNullable(System.getenv(BIN_ENV))
        .filter(s -> !s.isBlank())
        .orElse(DEFAULT_BIN_DIR)));
  }

  /**
   * The installation in {@code binDir}, checked.
   *
   * @throws MissingToolException when it is not a PostgreSQL 15 bin directory
   */
  public static PostgresInstallation at(Path binDir) {
    for (String tool : List.of("postgres", "initdb", "pg_ctl", "pg_basebackup", "psql")) {
      if (!Files.isExecutable(binDir.resolve(tool))) {
        throw new MissingToolException(
            "PostgreSQL 15 not found in " + binDir + " (no " + tool + "): " + INSTALL_HINT);
      }
    }
    String version = Command.of(binDir.resolve("postgres").toString(), "--version")
        .timeout(Duration.ofSeconds(20))
        .runOrThrow()
        .output()
        .strip();
    if (!version.matches(".*\\) 15\\.\\d+.*")) {
      throw new MissingToolException(
          binDir + " holds " + version + ", not PostgreSQL 15: " + INSTALL_HINT);
    }
    if (!Executables.runningAsRoot()) {
      return new PostgresInstallation(binDir, System.getProperty("user.name"), List.of());
    }
    if (!Command.of("id", "-u", "postgres").timeout(Duration.ofSeconds(10)).run().succeeded()) {
      throw new MissingToolException("running as root, but there is no `postgres` OS user to run "
          + "PostgreSQL as: " + INSTALL_HINT + " (the package creates the user)");
    }
    Path setpriv = Executables.find("setpriv", "install util-linux (`apt-get install util-linux`)");
    // HOME too: libpq looks for a client certificate under ~/.postgresql, and root's home is
    // not readable by postgres (a TLS connection would fail on it).
    String home = Command.of("getent", "passwd", "postgres").timeout(Duration.ofSeconds(10))
        .runOrThrow().output().strip().split(":")[5];
    return new PostgresInstallation(binDir, "postgres", List.of(setpriv.toString(),
        "--reuid=postgres", "--regid=postgres", "--init-groups", "--", "/usr/bin/env",
        "HOME=" + home));
  }

  public Path binDir() {
    return binDir;
  }

  /** The full path of a PostgreSQL tool, e.g. {@code tool("pg_ctl")}. */
  public String tool(String name) {
    return binDir.resolve(name).toString();
  }

  /** The OS user PostgreSQL runs as: {@code postgres} when this JVM is root, else this user. */
  public String osUser() {
    return osUser;
  }

  /** Whether files for PostgreSQL must be handed over to {@link #osUser()}. */
  public boolean switchesUser() {
    return !runAsPrefix.isEmpty();
  }

  /** {@code command} prefixed so that it runs as {@link #osUser()}. */
  public List<String> runAs(List<String> command) {
    List<String> full = new ArrayList<>(runAsPrefix);
    full.addAll(command);
    return full;
  }
}
