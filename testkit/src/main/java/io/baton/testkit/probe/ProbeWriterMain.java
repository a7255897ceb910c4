package io.baton.testkit.probe;

import io.baton.testkit.process.JvmLauncher;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * The {@link WriteProbe} as a process of its own, for writing from inside a network namespace
 * (e.g. a client next to an old primary that has been cut off). It writes one {@link ProbeLog}
 * line per attempt, flushed at once, to {@code --out} or stdout, until it gets SIGTERM (or
 * SIGKILL: every complete line is already written), and {@link ProbeLog#read(Path)} reads the
 * file back.
 *
 * <p>Arguments: {@code --url <jdbc url> --user <user> [--run-id <id>] [--out <file>]
 * [--interval-ms 10] [--create-table] [--keep-connection-on-read-only]} (see {@link
 * WriteProbe.Builder#keepConnectionWhenReadOnly()}). The password comes from the environment
 * variable {@value #PASSWORD_ENV}, never from the command line. With {@code -Dbaton.parent-pid=<pid>}
 * (set by {@link JvmLauncher}) it exits when that process dies.
 */
public final class ProbeWriterMain {
  public static final String PASSWORD_ENV = "BATON_PROBE_PASSWORD";

  private ProbeWriterMain() {}

  /**
   * A launcher for this probe in a child JVM; add {@code .inNamespace(...)} and start it. The
   * password goes to the child through its environment.
   */
  public static JvmLauncher launcher(String jdbcUrl, String user, String password, String runId,
      Path out) {
    return JvmLauncher.mainClass(ProbeWriterMain.class)
        .name("probe-" + runId)
        .args("--url", jdbcUrl, "--user", user, "--run-id", runId, "--out", out.toString())
        .env(PASSWORD_ENV, password);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    String url = required(options, "--url");
    String user = required(options, "--user");
    String password = Optional.ofNullable(System.getenv(PASSWORD_ENV))
        .orElseThrow(() -> new IllegalArgumentException("set the password in " + PASSWORD_ENV));
    Writer out = options.containsKey("--out")
        ? Files.newBufferedWriter(Path.of(options.get("--out")), StandardCharsets.UTF_8)
        : new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));

    String runId = options.getOrDefault("--run-id", UUID.randomUUID().toString());
    if (options.containsKey("--create-table")) {
      Properties props = new Properties();
      props.setProperty("user", user);
      props.setProperty("password", password);
      props.setProperty("connectTimeout", "2");
      props.setProperty("socketTimeout", "10");
      try (Connection connection = DriverManager.getConnection(url, props)) {
        WriteProbe.createTable(connection);
      }
    }
    writeLine(out, ProbeLog.header(runId));
    WriteProbe.Builder builder = WriteProbe.builder(() -> url, user, password)
        .runId(runId)
        .interval(Duration.ofMillis(Long.parseLong(options.getOrDefault("--interval-ms", "10"))))
        .onAttempt(attempt -> writeLine(out, ProbeLog.format(attempt)));
    if (options.containsKey("--keep-connection-on-read-only")) {
      builder.keepConnectionWhenReadOnly();
    }
    WriteProbe probe = builder.start();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      probe.close();
      stopped.countDown();
    }));
    Optional.ofNullable(System.getProperty(JvmLauncher.PARENT_PID_PROPERTY))
        .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
        .ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(3)));
    stopped.await();
  }

  private static synchronized void writeLine(Writer out, String line) {
    try {
      out.write(line);
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    List<String> flags = List.of("--create-table", "--keep-connection-on-read-only");
    for (int i = 0; i < args.length; i++) {
      if (flags.contains(args[i])) {
        options.put(args[i], "");
      } else if (args[i].startsWith("--") && i + 1 < args.length) {
        options.put(args[i], args[++i]);
      } else {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return value;
  }
}
