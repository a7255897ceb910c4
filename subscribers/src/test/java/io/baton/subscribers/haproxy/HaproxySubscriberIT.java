package io.baton.subscribers.haproxy;

import static io.baton.subscribers.testing.MasterPublisher.master;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.events.EventCodec;
import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.subscribers.follow.SubscriberRunner;
import io.baton.testkit.proxy.HaproxyProcess;
import io.baton.subscribers.testing.MasterPublisher;
import io.baton.subscribers.testing.TwoPrimaries;
import io.baton.subscribers.testing.Waits;
import io.baton.testkit.net.FreePorts;
import io.baton.testkit.probe.WriteProbe;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HAProxy subscriber, run as the Micronaut application, against a real HAProxy in front of
 * two writable PostgreSQL nodes, with master records published straight to Kafka.
 */
class HaproxySubscriberIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void clientsBehindHaproxyFollowTheMasterAndOldSessionsAreClosed(@TempDir Path dir)
      throws Exception {
    int frontend = FreePorts.loopback();
    Path managed = dir.resolve("baton.cfg");
    try (TwoPrimaries pg = new TwoPrimaries();
        MasterPublisher kafka = new MasterPublisher();
        HaproxyProcess haproxy = HaproxyProcess.in(dir)) {
      kafka.publish(master("orders", 1, pg.n1));
      Map<String, Object> config = Map.of(
          "micronaut.server.port", -1,
          "baton.kafka.bootstrap-servers", kafka.bootstrapServers(),
          "baton.kafka.topic-prefix", kafka.topicPrefix(),
          "baton.haproxy.enabled", true,
          "baton.haproxy.admin-socket", haproxy.adminSocket().toString(),
          "baton.haproxy.config-file", managed.toString(),
          "baton.haproxy.validate-with", List.of(haproxy.mainConfig().toString()),
          "baton.haproxy.binary", haproxy.binary().toString(),
          "baton.haproxy.reconcile-interval", "200ms",
          "baton.haproxy.clusters.orders.bind", "127.0.0.1:" + frontend);
      try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config)) {
        // HAProxy is down: the subscriber writes the file, and HAProxy starts from it.
        Waits.until(() -> Files.exists(managed)
                && Files.readString(managed).contains("127.0.0.1:" + pg.n1.port()), WAIT,
            "the file points at n1");
        Path beforeSwitch = Files.copy(managed, dir.resolve("baton-epoch1.cfg"));
        haproxy.start(managed);

        String url = "jdbc:postgresql://127.0.0.1:" + frontend + "/app";
        Connection held = connect(pg, url);
        assertEquals(pg.n1.port(), serverPort(held));
        try (WriteProbe probe = WriteProbe.builder(() -> url, "app",
            pg.cluster.appCredentials().password()).start()) {
          Waits.until(() -> pg.rows(pg.n1, probe.runId())[0] > 5, WAIT, "probe writes on n1");

          Instant published = kafka.publish(master("orders", 2, pg.n2));
          Waits.until(() -> pg.rows(pg.n2, probe.runId())[0] > 0, WAIT, "probe writes on n2");
          Duration latency = Waits.publishToWrite(published, probe,
              pg.rows(pg.n2, probe.runId())[1]);
          System.out.println("[measure] HAProxy: master record published -> first write"
              + " through HAProxy on the new primary: " + latency.toMillis() + " ms");

          assertThrows(SQLException.class, () -> serverPort(held),
              "the session to the old primary was shut down");
          Waits.until(() -> pg.appSessions(pg.n1) == 0, WAIT, "no session left on n1");
          long[] n1Rows = pg.rows(pg.n1, probe.runId());

          // A stale record changes nothing.
          kafka.publish(master("orders", 1, pg.n1));
          SubscriberRunner runner = server.getApplicationContext()
              .getBean(SubscriberRunner.class, Qualifiers.byName("haproxy"));
          Waits.until(() -> runner.follower().lag().orElse(1) == 0, WAIT, "stale record read");
          Thread.sleep(300);
          assertEquals(pg.n2.port(), runtimePort(haproxy));
          assertEquals(n1Rows[0], pg.rows(pg.n1, probe.runId())[0], "no new rows on n1");

          // Restarted from its file, HAProxy points at n2.
          haproxy.stop();
          haproxy.start(managed);
          assertEquals(pg.n2.port(), runtimePort(haproxy));
          long onN2 = pg.rows(pg.n2, probe.runId())[0];
          Waits.until(() -> pg.rows(pg.n2, probe.runId())[0] > onN2 + 5, WAIT,
              "writes go on on n2 after the HAProxy restart");

          // Restarted from an old file, HAProxy is re-pointed by the subscriber.
          haproxy.stop();
          Path stale = dir.resolve("stale.cfg");
          Files.copy(beforeSwitch, stale, StandardCopyOption.REPLACE_EXISTING);
          haproxy.start(stale);
          Waits.until(() -> runtimePort(haproxy) == pg.n2.port(), WAIT,
              "the subscriber re-applies n2 to an HAProxy started on an old file");
          long onN2Later = pg.rows(pg.n2, probe.runId())[0];
          Waits.until(() -> pg.rows(pg.n2, probe.runId())[0] > onN2Later + 5, WAIT,
              "writes go on on n2");
          Waits.until(() -> pg.appSessions(pg.n1) == 0, WAIT, "no session left on n1");
        }

        String metrics = get(server, "/metrics").body();
        assertTrue(metrics.contains(
            "baton_subscriber_applied_epoch{subscriber=\"haproxy\",cluster=\"orders\"} 2"),
            metrics);
        assertTrue(metrics.contains("baton_subscriber_lag_records{subscriber=\"haproxy\"} 0"),
            metrics);
        HttpResponse<String> health = get(server, "/health");
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(Files.readString(managed).contains("127.0.0.1:" + pg.n2.port()));
      }
    }
  }

  /**
   * A master record whose host holds a newline and a {@code program} section (which HAProxy's
   * master process would run, as root on Debian hosts) is refused: no file that {@code haproxy
   * -c} checks or HAProxy loads ever holds it, and the next good record of the cluster applies.
   * While the refused record is the newest of its cluster, a change of another cluster renders
   * the file: the way such a host used to reach it.
   */
  @Test
  void aHostWithAProgramSectionNeverReachesHaproxyAndTheNextGoodRecordApplies(@TempDir Path dir)
      throws Exception {
    Path managed = dir.resolve("baton.cfg");
    Path checked = dir.resolve("checked-by-haproxy-c.cfg");
    Path pwned = dir.resolve("pwned");
    try (MasterPublisher kafka = new MasterPublisher();
        HaproxyProcess haproxy = HaproxyProcess.in(dir)) {
      // haproxy -c as the subscriber runs it, keeping a copy of every file it was given.
      Path binary = dir.resolve("haproxy-recording-checks");
      Files.writeString(binary, "#!/bin/sh\nfor f; do [ -f \"$f\" ] && cat \"$f\" >> '"
          + checked + "'; done\nexec '" + haproxy.binary() + "' \"$@\"\n");
      Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwx------"));
      kafka.publish(endpoint("orders", 1, 5433));
      Map<String, Object> config = Map.of(
          "micronaut.server.port", -1,
          "baton.kafka.bootstrap-servers", kafka.bootstrapServers(),
          "baton.kafka.topic-prefix", kafka.topicPrefix(),
          "baton.haproxy.enabled", true,
          "baton.haproxy.admin-socket", haproxy.adminSocket().toString(),
          "baton.haproxy.config-file", managed.toString(),
          "baton.haproxy.validate-with", List.of(haproxy.mainConfig().toString()),
          "baton.haproxy.binary", binary.toString(),
          "baton.haproxy.clusters.orders.bind", "127.0.0.1:" + FreePorts.loopback(),
          "baton.haproxy.clusters.billing.bind", "127.0.0.1:" + FreePorts.loopback());
      try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config)) {
        Waits.until(() -> Files.exists(managed)
            && Files.readString(managed).contains("127.0.0.1:5433"), WAIT, "orders at 5433");
        haproxy.start(managed);
        SubscriberRunner runner = server.getApplicationContext()
            .getBean(SubscriberRunner.class, Qualifiers.byName("haproxy"));

        String hostile = "10.0.0.9\nglobal\n    master-worker\nprogram pwn\n    command /bin/touch "
            + pwned + " " + dir.resolve("x");
        kafka.publishRaw("orders", EventCodec.writeString(endpoint("orders", 2, 5434))
            .replace("\"host\":\"127.0.0.1\"", "\"host\":" + EventCodec.mapper()
                .writeValueAsString(hostile)).getBytes(StandardCharsets.UTF_8));
        kafka.publish(endpoint("billing", 1, 6001));
        Waits.until(() -> Files.readString(managed).contains("127.0.0.1:6001"), WAIT,
            "billing at 6001, rendered while the refused record was the newest of orders");
        kafka.publish(endpoint("orders", 3, 5435));
        Waits.until(() -> runtimePort(haproxy, "baton_orders") == 5435, WAIT,
            "the next good record of orders is applied");
        Waits.until(() -> Files.readString(managed).contains("127.0.0.1:5435"), WAIT,
            "and written to the file");
        String everyCheckedFile = Files.readString(checked);
        assertTrue(everyCheckedFile.contains("127.0.0.1:6001"), "haproxy -c ran on the renders");
        assertFalse(everyCheckedFile.contains("program") || everyCheckedFile.contains("10.0.0.9"),
            "haproxy -c was given the hostile host:\n" + everyCheckedFile);
        assertFalse(Files.readString(managed).contains("program"));
        assertEquals(1, runner.follower().malformedRecords());

        haproxy.stop();
        haproxy.start(managed);
        assertEquals(5435, runtimePort(haproxy, "baton_orders"));
        assertEquals(6001, runtimePort(haproxy, "baton_billing"));
        assertFalse(Files.exists(pwned), "HAProxy ran the injected program");
        String metrics = get(server, "/metrics").body();
        assertTrue(metrics.contains(
            "baton_subscriber_applied_epoch{subscriber=\"haproxy\",cluster=\"orders\"} 3"),
            metrics);
      }
    }
  }

  private static MasterRecord endpoint(String cluster, long epoch, int port) {
    return new MasterRecord(cluster, epoch, "n" + epoch, "127.0.0.1", port, epoch,
        Lsn.parse("0/3000060"), Instant.now(), "promoted by the test");
  }

  private static int runtimePort(HaproxyProcess haproxy, String backend) throws Exception {
    RuntimeApi.ServerState state = new RuntimeApi(haproxy.adminSocket(), Duration.ofSeconds(2))
        .serverState(backend, "primary");
    return state.takesTraffic() ? state.port() : -1;
  }

  private static Connection connect(TwoPrimaries pg, String url) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "app");
    props.setProperty("password", pg.cluster.appCredentials().password());
    props.setProperty("connectTimeout", "2");
    props.setProperty("socketTimeout", "5");
    return DriverManager.getConnection(url, props);
  }

  private static int serverPort(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT inet_server_port()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static int runtimePort(HaproxyProcess haproxy) throws Exception {
    RuntimeApi.ServerState state = new RuntimeApi(haproxy.adminSocket(), Duration.ofSeconds(2))
        .serverState("baton_orders", "primary");
    return state.takesTraffic() ? state.port() : -1;
  }

  static HttpResponse<String> get(EmbeddedServer server, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.getPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
