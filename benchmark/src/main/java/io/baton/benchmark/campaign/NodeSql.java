package io.baton.benchmark.campaign;

import io.baton.lab.Lab;
import io.baton.testkit.postgres.Credentials;
import io.baton.testkit.postgres.PostgresNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The campaign's own superuser sessions to the nodes, with timeouts short enough that a frozen
 * or cut-off node costs seconds, not the test kit's 30 s socket timeout.
 */
final class NodeSql {
  private static final String TIMEOUTS = "connectTimeout=2&loginTimeout=3&socketTimeout=5";

  private final Lab lab;

  NodeSql(Lab lab) {
    this.lab = lab;
  }

  Optional<Connection> superuser(String node) {
    try {
      return Optional.of(connect(node));
    } catch (SQLException e) {
      return Optional.empty();
    }
  }

  private Connection connect(String node) throws SQLException {
    PostgresNode pg = lab.postgres().node(node);
    Credentials superuser = lab.postgres().superuserCredentials();
    Properties props = new Properties();
    props.setProperty("user", superuser.user());
    props.setProperty("password", superuser.password());
    props.setProperty("ApplicationName", "baton-campaign");
    return DriverManager.getConnection(
        "jdbc:postgresql://" + pg.hostPort() + "/postgres?" + TIMEOUTS, props);
  }

  /** Every node's state, in the lab's order. */
  List<NodeState> states() {
    List<NodeState> states = new ArrayList<>();
    for (PostgresNode node : lab.postgres().nodes()) {
      states.add(state(node));
    }
    return states;
  }

  private NodeState state(PostgresNode node) {
    try (Connection c = connect(node.name()); Statement s = c.createStatement()) {
      boolean inRecovery;
      try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
        rs.next();
        inRecovery = rs.getBoolean(1);
      }
      if (!inRecovery) {
        // The WAL file name's first eight hex digits: the timeline being written.
        try (ResultSet rs = s.executeQuery("SELECT pg_walfile_name(pg_current_wal_lsn())")) {
          rs.next();
          long timeline = Long.parseLong(rs.getString(1).substring(0, 8), 16);
          return new NodeState(node.name(), node.host(), node.port(), Optional.empty(), false,
              timeline, Optional.empty());
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT status, received_tli, sender_host, sender_port"
          + " FROM pg_stat_wal_receiver")) {
        Optional<NodeState.Receiver> receiver = rs.next()
            ? Optional.of(new NodeState.Receiver(rs.getString(1), rs.getLong(2),
                String.valueOf(rs.getString(3)), rs.getInt(4)))
            : Optional.empty();
        return new NodeState(node.name(), node.host(), node.port(), Optional.empty(), true, 0,
            receiver);
      }
    } catch (SQLException e) {
      return NodeState.unreachable(node.name(), node.host(), node.port(),
          String.valueOf(e.getMessage()).lines().findFirst().orElse("no message"));
    }
  }

  /** The nodes that are writable, the newest master record's node first when it is. */
  List<String> writableNodes(Optional<String> master) {
    List<String> writable = new ArrayList<>(states().stream().filter(NodeState::isPrimary)
        .map(NodeState::node).toList());
    master.filter(writable::remove).ifPresent(m -> writable.add(0, m));
    return writable;
  }
}
