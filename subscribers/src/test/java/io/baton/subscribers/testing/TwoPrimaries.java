package io.baton.subscribers.testing;

import io.baton.testkit.postgres.PostgresCluster;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.probe.WriteProbe;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Two independently writable PostgreSQL nodes: a testkit cluster whose standby is promoted while
 * its primary keeps running. Both have database {@code app} with the probe table, so a client
 * behind a proxy can write to either, and the rows show which one it reached.
 */
public final class TwoPrimaries implements AutoCloseable {
  public final PostgresCluster cluster;
  public final PostgresNode n1;
  public final PostgresNode n2;

  public TwoPrimaries() throws Exception {
    cluster = PostgresCluster.builder().nodes(2).build();
    n1 = cluster.node("n1");
    n2 = cluster.node("n2");
    cluster.startManually(n1);
    try (Connection app = cluster.connect(n1, "app", cluster.appCredentials())) {
      WriteProbe.createTable(app);
    }
    cluster.startManually(n2);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!hasProbeTable(n2)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("n2 did not replay the probe table within 30 s");
      }
      Thread.sleep(50);
    }
    try (Connection standby = cluster.superuserConnection(n2);
        Statement statement = standby.createStatement()) {
      statement.execute("SELECT pg_promote(true, 60)");
    }
  }

  private boolean hasProbeTable(PostgresNode node) throws SQLException {
    try (Connection connection = cluster.connect(node, "app", cluster.appCredentials());
        Statement check = connection.createStatement();
        ResultSet rs = check.executeQuery("SELECT to_regclass('baton_probe') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /** Rows the probe run {@code runId} wrote on {@code node}, and the lowest sequence number. */
  public long[] rows(PostgresNode node, String runId) throws SQLException {
    try (Connection connection = cluster.connect(node, "app", cluster.appCredentials());
        PreparedStatement query = connection.prepareStatement(
            "SELECT count(*), coalesce(min(seq), -1) FROM baton_probe WHERE run_id = ?")) {
      query.setString(1, runId);
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /** Sessions of user app on {@code node} (every one came through the proxy under test). */
  public int appSessions(PostgresNode node) throws SQLException {
    try (Connection connection = cluster.superuserConnection(node);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = 'app'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Override
  public void close() {
    cluster.close();
  }
}
