package io.baton.client;

import static io.baton.client.MasterFollowerIT.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.testkit.postgres.PostgresCluster;
import io.baton.testkit.postgres.PostgresNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link MasterDataSource} on two independently writable PostgreSQL nodes (a standby promoted
 * beside its primary), re-pointed by master records published with a plain producer.
 */
class MasterDataSourceIT {
  private static PostgresCluster cluster;
  private static PostgresNode n1;
  private static PostgresNode n2;

  @BeforeAll
  static void twoWritableNodes() throws SQLException {
    cluster = PostgresCluster.builder().nodes(2).build();
    n1 = cluster.node("n1");
    n2 = cluster.node("n2");
    cluster.startManually(n1);
    cluster.startManually(n2);
    try (Connection connection = cluster.superuserConnection(n2);
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_promote(true, 60)");
    }
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static MasterRecord master(long epoch, PostgresNode node) {
    return new MasterRecord("orders", epoch, node.name(), node.host(), node.port(), epoch,
        Lsn.parse("0/3000060"), Instant.now(), "test");
  }

  private static int serverPort(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT inet_server_port()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void connectionsFollowTheMasterAndThoseToTheOldOneAreAborted() throws Exception {
    try (MasterTopic topic = new MasterTopic(1);
        MasterFollower follower = new MasterFollower(topic.options().build())) {
      topic.publish(master(1, n1));
      follower.start();
      assertTrue(follower.awaitReady(Duration.ofSeconds(20)));
      try (MasterDataSource dataSource = MasterDataSource.builder(follower, "orders", "app")
          .credentials(DatabaseCredentials.fromFile("app",
              cluster.appCredentials().passwordFile()))
          .urlParameter("connectTimeout", "2")
          .build()) {
        Connection first = dataSource.getConnection();
        Connection second = dataSource.getConnection();
        assertEquals(n1.port(), serverPort(first));
        assertEquals(n1.port(), serverPort(second));
        assertEquals(2, dataSource.openConnections());

        topic.publish(master(2, n2));
        awaitTrue(() -> isClosed(first) && isClosed(second),
            "connections to the old primary aborted");
        assertThrows(SQLException.class, () -> serverPort(first));
        assertEquals(0, dataSource.openConnections());

        Connection third = dataSource.getConnection();
        assertEquals(n2.port(), serverPort(third));

        // A stale record and a new epoch for the same address leave connections alone.
        topic.publish(master(1, n1));
        topic.publish(master(3, n2));
        awaitTrue(() -> follower.lastAppliedEpoch("orders").equals(OptionalLong.of(3)),
            "epoch 3 applied");
        assertFalse(third.isClosed());
        assertEquals(n2.port(), serverPort(third));
        assertEquals(1, dataSource.openConnections());

        dataSource.close();
        assertTrue(third.isClosed(), "close() aborts what is still open");
      }
    }
  }

  @Test
  void anUnknownClusterFailsWithAClearMessage() throws Exception {
    try (MasterTopic topic = new MasterTopic(1);
        MasterFollower follower = new MasterFollower(topic.options().build())) {
      topic.publish(master(1, n1));
      follower.start();
      assertTrue(follower.awaitReady(Duration.ofSeconds(20)));
      try (MasterDataSource dataSource = MasterDataSource.builder(follower, "billing", "app")
          .credentials("app", cluster.appCredentials().password()).build()) {
        SQLException error = assertThrows(SQLException.class, dataSource::getConnection);
        assertEquals("08001", error.getSQLState());
        assertTrue(error.getMessage().contains("'billing'")
            && error.getMessage().contains("known clusters: [orders]"), error.getMessage());
      }
    }
  }

  private static boolean isClosed(Connection connection) {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }
}
