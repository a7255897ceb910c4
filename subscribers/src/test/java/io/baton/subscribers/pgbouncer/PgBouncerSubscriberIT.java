package io.baton.subscribers.pgbouncer;

import static io.baton.subscribers.testing.MasterPublisher.master;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.subscribers.follow.SubscriberRunner;
import io.baton.subscribers.testing.MasterPublisher;
import io.baton.subscribers.testing.TwoPrimaries;
import io.baton.subscribers.testing.Waits;
import io.baton.testkit.net.FreePorts;
import io.baton.testkit.probe.Attempt;
import io.baton.testkit.probe.WriteProbe;
import io.baton.testkit.proxy.PgBouncerProcess;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PgBouncer subscriber, run as the Micronaut application, against a real PgBouncer in front
 * of two writable PostgreSQL nodes, with master records published straight to Kafka.
 */
class PgBouncerSubscriberIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static TwoPrimaries pg;

  @BeforeAll
  static void postgres() throws Exception {
    pg = new TwoPrimaries();
  }

  @AfterAll
  static void stop() {
    if (pg != null) {
      pg.close();
    }
  }

  private static ApplicationContext subscriber(MasterPublisher kafka, PgBouncerProcess bouncer,
      String pauseTimeout) {
    return subscriber(kafka, bouncer, pauseTimeout, true);
  }

  private static ApplicationContext subscriber(MasterPublisher kafka, PgBouncerProcess bouncer,
      String pauseTimeout, boolean reconnectClients) {
    return ApplicationContext.run(Map.ofEntries(
        Map.entry("baton.pgbouncer.reconnect-clients", reconnectClients),
        Map.entry("micronaut.server.port", -1),
        Map.entry("baton.kafka.bootstrap-servers", kafka.bootstrapServers()),
        Map.entry("baton.kafka.topic-prefix", kafka.topicPrefix()),
        Map.entry("baton.pgbouncer.enabled", true),
        Map.entry("baton.pgbouncer.databases-file", bouncer.databasesFile().toString()),
        Map.entry("baton.pgbouncer.admin-port", bouncer.port()),
        Map.entry("baton.pgbouncer.admin-user", PgBouncerProcess.ADMIN_USER),
        Map.entry("baton.pgbouncer.admin-password-file", bouncer.adminPasswordFile().toString()),
        Map.entry("baton.pgbouncer.pause-timeout", pauseTimeout),
        Map.entry("baton.pgbouncer.databases.app.cluster", "orders")));
  }

  private static SubscriberRunner runner(ApplicationContext context) {
    return context.getBean(SubscriberRunner.class, Qualifiers.byName("pgbouncer"));
  }

  private static String initialDatabases() {
    return "[databases]\napp = host=127.0.0.1 port=" + pg.n1.port() + " dbname=app\n";
  }

  /** With {@code reconnect-clients: false}, when no login to the old primary failed. */
  @Test
  void transactionPoolingClientsMoveToTheNewPrimaryWithoutAnError(@TempDir Path dir)
      throws Exception {
    try (MasterPublisher kafka = new MasterPublisher();
        PgBouncerProcess bouncer = PgBouncerProcess.start(dir, "transaction",
            pg.cluster.appCredentials(), initialDatabases())) {
      kafka.publish(master("orders", 1, pg.n1));
      String url = bouncer.jdbcUrl("app") + "?prepareThreshold=0";
      try (WriteProbe probe = WriteProbe.builder(() -> url, "app",
          pg.cluster.appCredentials().password()).start()) {
        try (ApplicationContext context = subscriber(kafka, bouncer, "5s", false)) {
          Waits.until(() -> runner(context).stats().containsKey("orders"), WAIT,
              "epoch 1 applied");
          Waits.until(() -> pg.rows(pg.n1, probe.runId())[0] > 5, WAIT, "probe writes on n1");

          Instant published = kafka.publish(master("orders", 2, pg.n2));
          Waits.until(() -> pg.rows(pg.n2, probe.runId())[0] > 0, WAIT, "probe writes on n2");
          Duration latency = Waits.publishToWrite(published, probe,
              pg.rows(pg.n2, probe.runId())[1]);
          System.out.println("[measure] PgBouncer (transaction pooling): master record published"
              + " -> first write through PgBouncer on the new primary: " + latency.toMillis()
              + " ms");
          assertTrue(Files.readString(bouncer.databasesFile())
              .contains("app = host=127.0.0.1 port=" + pg.n2.port() + " dbname=app"));

          kafka.publish(master("orders", 1, pg.n1));
          Waits.until(() -> runner(context).follower().lag().orElse(1) == 0, WAIT,
              "stale record read");
          long onN1 = pg.rows(pg.n1, probe.runId())[0];
          Thread.sleep(300);
          assertEquals(onN1, pg.rows(pg.n1, probe.runId())[0], "no new rows on n1");
          assertEquals(2, runner(context).stats().get("orders").appliedEpoch());
        }
        // A restarted subscriber finds PgBouncer already on n2 and leaves it alone.
        try (ApplicationContext context = subscriber(kafka, bouncer, "5s", false)) {
          Waits.until(() -> runner(context).stats().containsKey("orders"), WAIT,
              "epoch 2 applied again");
          assertEquals(2, runner(context).stats().get("orders").appliedEpoch());
        }
        long onN2 = pg.rows(pg.n2, probe.runId())[0];
        Waits.until(() -> pg.rows(pg.n2, probe.runId())[0] > onN2 + 5, WAIT, "writes go on");
        List<Attempt> failed = probe.attempts().stream().filter(a -> !a.isAcknowledged())
            .toList();
        assertEquals(List.of(), failed, "a transaction-pooled client sees no error");
      }
    }
  }

  /**
   * The old primary refused a login (it is dead, or shutting down in a switchover): PgBouncer
   * then opens no server connection for server_login_retry, 15 s at its default, and RELOAD does
   * not clear that. With the default {@code reconnect-clients}, the killed pool reaches the new
   * primary at once.
   */
  @Test
  void aPoolWhoseLoginsFailedReachesTheNewPrimaryWithoutWaitingForServerLoginRetry(
      @TempDir Path dir) throws Exception {
    int nobodyListens = FreePorts.loopback();
    try (MasterPublisher kafka = new MasterPublisher();
        PgBouncerProcess bouncer = PgBouncerProcess.start(dir, "transaction",
            pg.cluster.appCredentials(),
            "[databases]\napp = host=127.0.0.1 port=" + nobodyListens + " dbname=app\n")) {
      String url = bouncer.jdbcUrl("app") + "?prepareThreshold=0";
      try (WriteProbe probe = WriteProbe.builder(() -> url, "app",
          pg.cluster.appCredentials().password()).start();
          ApplicationContext context = subscriber(kafka, bouncer, "5s")) {
        // The client now hangs in PgBouncer, which tries no server again for 15 s.
        Waits.until(() -> bouncer.output().stream().anyMatch(l -> l.contains("connect failed")),
            WAIT, "PgBouncer tried the dead primary");

        Instant published = kafka.publish(master("orders", 1, pg.n2));
        Waits.until(() -> pg.rows(pg.n2, probe.runId())[0] > 0, WAIT, "probe writes on n2");
        Duration latency = Waits.publishToWrite(published, probe,
            pg.rows(pg.n2, probe.runId())[1]);
        System.out.println("[measure] PgBouncer after failed logins to the old primary: master"
            + " record published -> first write on the new primary: " + latency.toMillis() + " ms");
        assertTrue(latency.compareTo(Duration.ofSeconds(5)) < 0,
            "the client waited " + latency.toMillis() + " ms: PgBouncer's server_login_retry");
      }
    }
  }

  /** With {@code reconnect-clients: false}. */
  @Test
  void pauseThatCannotFinishFallsBackToKill(@TempDir Path dir) throws Exception {
    try (MasterPublisher kafka = new MasterPublisher();
        PgBouncerProcess bouncer = PgBouncerProcess.start(dir, "session",
            pg.cluster.appCredentials(), initialDatabases())) {
      kafka.publish(master("orders", 1, pg.n1));
      try (ApplicationContext context = subscriber(kafka, bouncer, "1s", false)) {
        Waits.until(() -> runner(context).stats().containsKey("orders"), WAIT, "epoch 1 applied");
        // In session pooling this client holds its server connection, so PAUSE cannot finish.
        Connection held = connect(bouncer);
        assertEquals(pg.n1.port(), serverPort(held));

        Instant published = kafka.publish(master("orders", 2, pg.n2));
        Waits.until(() -> runner(context).stats().get("orders").appliedEpoch() == 2, WAIT,
            "epoch 2 applied");
        System.out.println("[measure] PgBouncer (session pooling, PAUSE timed out after 1 s, KILL):"
            + " published -> applied " + Duration.between(published, Instant.now()).toMillis()
            + " ms");
        assertThrows(SQLException.class, () -> serverPort(held), "KILL dropped the client");
        try (Connection fresh = connect(bouncer)) {
          assertEquals(pg.n2.port(), serverPort(fresh));
        }
      }
    }
  }

  private static Connection connect(PgBouncerProcess bouncer) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "app");
    props.setProperty("password", pg.cluster.appCredentials().password());
    props.setProperty("connectTimeout", "2");
    props.setProperty("socketTimeout", "10");
    return DriverManager.getConnection(bouncer.jdbcUrl("app"), props);
  }

  private static int serverPort(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT inet_server_port()")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
