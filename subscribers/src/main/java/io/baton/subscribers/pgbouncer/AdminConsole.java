package io.baton.subscribers.pgbouncer;

import io.baton.events.Printable;
import io.baton.subscribers.process.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PgBouncer's admin console, through {@code psql}.
 *
 * <p>Why psql and not JDBC: PgBouncer 1.18's console understands only the simple query protocol
 * and a few startup parameters, and pgjdbc 42.7.x runs {@code SET extra_float_digits} right after
 * logging in, which the console answers with "SET failed" whatever {@code
 * ignore_startup_parameters} and {@code preferQueryMode=simple} say (fixed only in PgBouncer
 * releases of 2026). psql speaks to it as PgBouncer's own docs do. The password goes to psql in
 * {@code PGPASSWORD}, never on its command line.
 */
final class AdminConsole {
  private final PgBouncerConfig settings;

  AdminConsole(PgBouncerConfig settings) {
    this.settings = settings;
  }

  /**
   * Runs admin commands in one session, in order, stopping at the first error; the result tells
   * success, refusal or timeout apart. Each command is one line without {@code ;} (which would
   * start another) or {@code \} (which psql reads as its own meta-command, {@code \!} runs a
   * shell): anything else is refused before psql starts.
   */
  Run.Result run(Duration timeout, String... commands) throws IOException {
    for (String command : commands) {
      if (!Printable.isPrintable(command) || command.indexOf(';') >= 0
          || command.indexOf('\\') >= 0) {
        throw new IllegalArgumentException("refusing to send PgBouncer "
            + Printable.quote(command) + ": one command, without ';', '\\' or control characters");
      }
    }
    List<String> psql = new ArrayList<>(List.of(settings.psql().toString(), "-X", "-q",
        "-v", "ON_ERROR_STOP=1", "-A", "-F", "\t", "-P", "footer=off",
        "-h", settings.adminHost(), "-p", Integer.toString(settings.adminPort()),
        "-U", settings.adminUser(), "-d", "pgbouncer"));
    for (String command : commands) {
      psql.addAll(List.of("-c", command));
    }
    Map<String, String> environment = new HashMap<>();
    password().ifPresent(p -> environment.put("PGPASSWORD", p));
    environment.put("PGCONNECT_TIMEOUT", Long.toString(Math.max(1, Math.min(
        timeout.toSeconds(), 5))));
    environment.put("PGAPPNAME", "baton-subscriber");
    return Run.of(psql).env(environment).timeout(timeout).run();
  }

  /** Runs a command that must succeed. */
  void require(String command) throws IOException {
    Run.Result result = run(settings.commandTimeout(), command);
    if (!result.succeeded()) {
      throw new IOException("PgBouncer admin command '" + command + "' failed: "
          + result.describe());
    }
  }

  /** Where each database of the running PgBouncer points, from {@code SHOW DATABASES}. */
  Map<String, String> databaseEndpoints() throws IOException {
    Run.Result result = run(settings.commandTimeout(), "SHOW DATABASES");
    if (!result.succeeded()) {
      throw new IOException("PgBouncer admin command 'SHOW DATABASES' failed: "
          + result.describe());
    }
    List<String> lines = result.output().lines().filter(l -> !l.isBlank()).toList();
    Map<String, String> endpoints = new LinkedHashMap<>();
    if (lines.isEmpty()) {
      return endpoints;
    }
    List<String> columns = Arrays.asList(lines.get(0).split("\t", -1));
    int name = columns.indexOf("name");
    int host = columns.indexOf("host");
    int port = columns.indexOf("port");
    if (name < 0 || host < 0 || port < 0) {
      throw new IOException("unexpected SHOW DATABASES header: " + lines.get(0));
    }
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.split("\t", -1);
      if (fields.length > Math.max(name, Math.max(host, port))) {
        endpoints.put(fields[name], fields[host] + ":" + fields[port]);
      }
    }
    return endpoints;
  }

  private Optional<String> password() throws IOException {
    if (settings.adminPasswordFile().isPresent()) {
      String content = Files.readString(settings.adminPasswordFile().get(),
          StandardCharsets.UTF_8);
      return Optional.of(content.lines().findFirst().orElse("").strip());
    }
    return Optional.ofNullable(System.getenv(settings.adminPasswordEnv()));
  }
}
