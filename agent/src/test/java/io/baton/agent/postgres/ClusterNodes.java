package io.baton.agent.postgres;

import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.baton.events.Upstream;
import io.baton.testkit.postgres.PostgresCluster;
import io.baton.testkit.postgres.PostgresNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/** {@link LocalPostgres} on the nodes of a testkit {@link PostgresCluster}, and test helpers. */
final class ClusterNodes {
  private ClusterNodes() {}

  /** Settings for {@code node} as its agent would have them, with the given password. */
  static PostgresSettings settings(PostgresCluster cluster, PostgresNode node, String password,
      String stateDirName) {
    return PostgresSettings.builder(node.name(), node.dataDir(), node.nodeDir().resolve(stateDirName))
        .binDir(cluster.installation().binDir())
        .host(node.host())
        .port(node.port())
        .socketDir(node.socketDir())
        .osUser(cluster.installation().osUser())
        .user(cluster.agentCredentials().user())
        .password(password)
        .sslRootCert(cluster.rootCertificate())
        .startTimeout(Duration.ofSeconds(30))
        .stopTimeout(Duration.ofSeconds(20))
        .build();
  }

  static LocalPostgres agentOf(PostgresCluster cluster, PostgresNode node) {
    return new LocalPostgres(
        settings(cluster, node, cluster.agentCredentials().password(), "agent"));
  }

  static Upstream upstream(PostgresNode node) {
    return new Upstream(node.name(), node.host(), node.port());
  }

  /** Polls {@code probe} until {@code done} holds; fails with the last value seen. */
  static <T> T await(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() - deadline > 0) {
        fail("not within " + timeout.toMillis() + " ms: " + what + "; last seen: " + last);
      }
      sleep(10);
      last = probe.get();
    }
    return last;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static void execute(PostgresCluster cluster, PostgresNode node, String database, String sql)
      throws SQLException {
    try (Connection c = cluster.connect(node, database, cluster.superuserCredentials());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static long count(PostgresCluster cluster, PostgresNode node, String database, String sql) {
    try (Connection c = cluster.connect(node, database, cluster.superuserCredentials());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1;
    }
  }

  /** The command lines of every process on the machine that contain {@code secret}. */
  static List<String> commandLinesContaining(String secret) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
      for (Path dir : proc.toList()) {
        if (!dir.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cmdline = new String(Files.readAllBytes(dir.resolve("cmdline")),
              StandardCharsets.UTF_8).replace('\0', ' ');
          if (cmdline.contains(secret)) {
            found.add(dir.getFileName() + ": " + cmdline);
          }
        } catch (IOException e) {
          // The process ended while listed.
        }
      }
    }
    return found;
  }

  /** Captures what {@link LocalPostgres} logs, to check it for secrets. */
  static final class CapturedLog implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.baton.agent.postgres");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level level = logger.getLevel();

    /** Also lets the debug lines (with each action's duration) through to the console. */
    CapturedLog() {
      appender.start();
      logger.addAppender(appender);
      logger.setLevel(Level.DEBUG);
    }

    List<String> lines() {
      // Appenders append under their own lock.
      synchronized (appender) {
        return appender.list.stream()
            .map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()))
            .toList();
      }
    }

    @Override
    public void close() {
      logger.setLevel(level);
      logger.detachAppender(appender);
    }
  }
}
