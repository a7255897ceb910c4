package io.baton.testkit.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.testkit.process.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresClusterIT {
  private static PostgresCluster cluster;
  private static Duration buildTime;

  @BeforeAll
  static void buildAndStart() {
    long started = System.nanoTime();
    cluster = PostgresCluster.builder().nodes(3).build();
    buildTime = Duration.ofNanos(System.nanoTime() - started);
    for (PostgresNode node : cluster.nodes()) {
      assertFalse(cluster.isRunning(node), node.name() + " running after build()");
    }
    cluster.nodes().forEach(cluster::startManually);
  }

  @AfterAll
  static void close() {
    cluster.close();
  }

  @Test
  void buildsAThreeNodeClusterQuickly() {
    assertTrue(buildTime.compareTo(Duration.ofSeconds(15)) < 0, "built in " + buildTime);
  }

  @Test
  void bothStandbysStreamFromTheFirstNode() throws Exception {
    List<String> streaming = awaitStreaming(cluster.primary(), 2, Duration.ofSeconds(20));
    assertEquals(List.of("n2", "n3"), streaming);
    for (PostgresNode standby : cluster.nodes().subList(1, 3)) {
      try (Connection c = cluster.superuserConnection(standby)) {
        assertEquals(true, queryOne(c, "SELECT pg_is_in_recovery()"));
      }
    }
    for (PostgresNode node : cluster.nodes()) {
      assertTrue(Files.readString(node.logFile()).contains("database system is ready to accept"),
          "server log of " + node.name() + " in " + node.logFile());
    }
  }

  @Test
  void aRowWrittenOnThePrimaryAppearsOnTheStandbys() throws Exception {
    try (Connection c = cluster.connect(cluster.primary(), "app", cluster.appCredentials());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE replicated (id int PRIMARY KEY, note text)");
      s.execute("INSERT INTO replicated VALUES (1, 'from n1')");
    }
    for (PostgresNode standby : cluster.nodes().subList(1, 3)) {
      try (Connection c = cluster.connect(standby, "app", cluster.appCredentials())) {
        Optional<Object> note = Optional.empty();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (note.isEmpty() && System.nanoTime() < deadline) {
          note = tryQuery(c, "SELECT note FROM replicated WHERE id = 1");
          if (note.isEmpty()) {
            Thread.sleep(50);
          }
        }
        assertEquals(Optional.of("from n1"), note, "on " + standby.name());
      }
    }
  }

  @Test
  void theAgentRoleHoldsWhatFailoverAndRewindNeed() throws Exception {
    try (Connection c = cluster.superuserConnection(cluster.primary())) {
      for (String function : List.of("pg_promote(boolean, integer)", "pg_reload_conf()",
          "pg_ls_dir(text, boolean, boolean)", "pg_stat_file(text, boolean)",
          "pg_read_binary_file(text)", "pg_read_binary_file(text, bigint, bigint, boolean)")) {
        assertEquals(true, queryOne(c,
            "SELECT has_function_privilege('baton_agent', '" + function + "', 'EXECUTE')"), function);
      }
      for (String role : List.of("pg_monitor", "pg_checkpoint")) {
        assertEquals(true, queryOne(c, "SELECT pg_has_role('baton_agent', '" + role + "', 'MEMBER')"),
            role);
      }
      // Issue 9, finding 6: nothing the agent does not use (it never runs ALTER SYSTEM).
      assertEquals(false, queryOne(c,
          "SELECT pg_has_role('baton_agent', 'pg_signal_backend', 'MEMBER')"));
      assertEquals(0L, queryOne(c, "SELECT count(*) FROM pg_parameter_acl"
          + " WHERE array_to_string(paracl, ',') LIKE '%baton_agent%'"));
      // Issue 9, finding 5: standbys stream over TLS.
      assertEquals(true, queryOne(c, "SELECT count(*) = 2 AND bool_and(s.ssl)"
          + " FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid)"));
    }
    java.sql.SQLException plain = org.junit.jupiter.api.Assertions.assertThrows(
        java.sql.SQLException.class, () -> java.sql.DriverManager.getConnection(
            cluster.jdbcUrl(cluster.primary(), "postgres") + "&sslmode=disable",
            cluster.agentCredentials().user(), cluster.agentCredentials().password()));
    assertTrue(plain.getMessage().contains("no encryption"), plain.getMessage());
    try (Connection c = cluster.connect(cluster.primary(), "postgres", cluster.agentCredentials())) {
      assertEquals(true, queryOne(c,
          "SELECT count(*) = 2 FROM pg_stat_replication WHERE sent_lsn IS NOT NULL"));
    }
  }

  /**
   * Issue 13, item 10: the password recipe fails loudly on an unreadable (empty) password file
   * instead of clearing baton_agent's password.
   */
  @Test
  void setPasswordFailsOnAnEmptyPasswordAndKeepsTheOldOne() throws Exception {
    List<String> psql = new java.util.ArrayList<>(List.of(
        cluster.installation().tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
        "-U", "postgres", "-d", "postgres",
        "-f", cluster.baseDir().resolve("set-password.sql").toString()));
    psql.addAll(cluster.primary().socketConnectionArgs());
    io.baton.testkit.process.Command.Result result =
        io.baton.testkit.process.Command.of(cluster.installation().runAs(psql))
            .stdin("").timeout(java.time.Duration.ofSeconds(30)).run();
    assertEquals(3, result.exitCode(), result.output());
    assertTrue(result.output().contains("password was not changed"), result.output());
    try (Connection c = cluster.connect(cluster.primary(), "postgres", cluster.agentCredentials())) {
      assertEquals(true, queryOne(c, "SELECT true"));
    }
  }

  @Test
  void keepsPasswordsInOwnerOnlyFiles() throws Exception {
    Credentials agent = cluster.agentCredentials();
    assertEquals(agent.password(), Files.readString(agent.passwordFile()).strip());
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(agent.passwordFile())));
    assertEquals(cluster.installation().osUser(), Files.getOwner(agent.passwordFile()).getName());
    assertFalse(agent.toString().contains(agent.password()));
  }

  @Test
  void closeStopsEveryServerAndRemovesTheDirectory() throws Exception {
    PostgresCluster single = PostgresCluster.builder().node("solo", "127.0.0.1").build();
    PostgresNode solo = single.node("solo");
    single.startManually(solo);
    long pid = single.postmasterPid(solo).orElseThrow();
    Path base = single.baseDir();

    single.close();

    assertFalse(Processes.isRunning(pid), "postmaster " + pid + " still running");
    assertFalse(Files.exists(base), base + " still exists");
  }

  private static List<String> awaitStreaming(PostgresNode primary, int count, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> names = new ArrayList<>();
    try (Connection c = cluster.superuserConnection(primary)) {
      while (System.nanoTime() < deadline) {
        names.clear();
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT application_name FROM pg_stat_replication "
                + "WHERE state = 'streaming' ORDER BY application_name")) {
          while (rs.next()) {
            names.add(rs.getString(1));
          }
        }
        if (names.size() >= count) {
          break;
        }
        Thread.sleep(50);
      }
    }
    return names;
  }

  private static Object queryOne(Connection c, String sql) throws Exception {
    return tryQuery(c, sql).orElseThrow(() -> new AssertionError("no row: " + sql));
  }

  private static Optional<Object> tryQuery(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? Optional.ofNullable(rs.getObject(1)) : Optional.empty();
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
