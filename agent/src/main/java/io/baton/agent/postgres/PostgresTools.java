package io.baton.agent.postgres;

import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's programs run as its OS user with a clean environment (the server itself, pg_rewind,
 * pg_controldata), and JDBC connections as the agent's role.
 */
final class PostgresTools {
  /** Logs as LocalPostgres, the one name all of the agent's PostgreSQL lines carry. */
  private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
  private static final Driver DRIVER = new Driver();

  private final PostgresSettings settings;
  private final OsUser osUser;

  PostgresTools(PostgresSettings settings, OsUser osUser) {
    this.settings = settings;
    this.osUser = osUser;
  }

  /** Starts the server as a child process, its output appended to {@code logFile}. */
  Process launch(Path configFile, Path logFile) throws PostgresException {
    List<String> command = osUser.command(List.of(tool("postgres"),
        "-D", settings.dataDir().toString(), "-c", "config_file=" + configFile));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(settings.stateDir().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    cleanEnvironment(builder, Map.of());
    try {
      return builder.start();
    } catch (IOException e) {
      throw new PostgresException("could not run " + tool("postgres") + ": " + e.getMessage(), e);
    }
  }

  record ToolResult(int exitCode, String output) {}

  /** Runs a PostgreSQL tool as the OS user, its output (stdout and stderr) captured. */
  ToolResult runTool(String name, List<String> command, Map<String, String> env,
      Duration timeout) throws PostgresException {
    Path output = null;
    try {
      // In the agent's own directory: an agent killed while the tool runs leaves it there, not
      // in the machine's temporary directory.
      output = Files.isDirectory(settings.stateDir())
          ? Files.createTempFile(settings.stateDir(), "." + name + "-", ".out")
          : Files.createTempFile("baton-" + name + "-", ".out");
      ProcessBuilder builder = new ProcessBuilder(osUser.command(command))
          .directory(Files.isDirectory(settings.stateDir())
              ? settings.stateDir().toFile() : new File("/"))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true)
          .redirectOutput(output.toFile());
      cleanEnvironment(builder, env);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new PostgresException(name + " did not finish within " + timeout.toSeconds()
            + " s and was killed");
      }
      return new ToolResult(process.exitValue(),
          new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new PostgresException("could not run " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PostgresException("interrupted while running " + name, e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          log.debug("postgres: could not remove {}: {}", output, e.toString());
        }
      }
    }
  }

  /**
   * Only what PostgreSQL needs: the agent's environment may hold secrets (the database password
   * itself, Kafka credentials) that would otherwise be readable in the server's
   * /proc/pid/environ by its OS user. LC_ALL=C keeps tool output parseable.
   */
  private static void cleanEnvironment(ProcessBuilder builder, Map<String, String> extra) {
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("LC_ALL", "C");
    env.putAll(extra);
  }

  String tool(String name) {
    return settings.binDir().resolve(name).toString();
  }

  record Timeouts(int connectSeconds, int socketSeconds, int loginSeconds) {}

  /** A JDBC connection as the agent's role: password in the properties, never in the URL. */
  Connection connect(String host, int port, Timeouts timeouts) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", settings.user());
    props.setProperty("password", settings.password());
    props.setProperty("connectTimeout", Integer.toString(timeouts.connectSeconds()));
    props.setProperty("socketTimeout", Integer.toString(timeouts.socketSeconds()));
    if (timeouts.loginSeconds() > 0) {
      props.setProperty("loginTimeout", Integer.toString(timeouts.loginSeconds()));
    }
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("ApplicationName", "baton-agent");
    // The TLS handshake and the certificate check come before the password is sent.
    props.setProperty("sslmode", settings.sslMode().wire());
    settings.sslRootCert().ifPresent(p -> props.setProperty("sslrootcert", p.toString()));
    // Settings go in the startup packet instead of extra round trips.
    props.setProperty("assumeMinServerVersion", "15");
    String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    String url = "jdbc:postgresql://" + hostPart + ":" + port + "/"
        + URLEncoder.encode(settings.database(), StandardCharsets.UTF_8);
    Connection connection = DRIVER.connect(url, props);
    if (connection == null) {
      throw new SQLException("the PostgreSQL driver does not accept " + url, "08001");
    }
    return connection;
  }
}
