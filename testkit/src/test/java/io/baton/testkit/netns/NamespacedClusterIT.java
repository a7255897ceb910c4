package io.baton.testkit.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.testkit.kafka.EmbeddedKafka;
import io.baton.testkit.kafka.KafkaBrokers;
import io.baton.testkit.postgres.PostgresCluster;
import io.baton.testkit.postgres.PostgresNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;

/** PostgreSQL nodes and broker listeners inside a network lab, as the partition tests use them. */
class NamespacedClusterIT {

  @Test
  void nodesInNamespacesStreamOverTheLabNetworkAndReachTheBroker() throws Exception {
    try (NetworkLab lab = NetworkLab.create(2);
        EmbeddedKafka kafka = EmbeddedKafka.start(
            EmbeddedKafka.Options.defaults().withExtraListener(lab.bridgeAddress()));
        PostgresCluster cluster = PostgresCluster.builder()
            .node("n1", lab.namespace(1).address(), lab.namespace(1).name())
            .node("n2", lab.namespace(2).address(), lab.namespace(2).name())
            .build()) {
      cluster.nodes().forEach(cluster::startManually);
      PostgresNode n1 = cluster.node("n1");

      try (Connection c = cluster.superuserConnection(n1)) {
        assertEquals(List.of("n2 " + lab.namespace(2).address()), awaitStreaming(c));
      }

      String bootstrap = kafka.bootstrapServersFor(lab.bridgeAddress());
      assertTrue(bootstrap.startsWith(lab.bridgeAddress() + ":"), bootstrap);
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        List<String> advertised = admin.describeCluster().nodes().get().stream()
            .map(Node::host).toList();
        assertEquals(List.of(lab.bridgeAddress()), advertised);
      }
      String[] hostPort = bootstrap.split(":");
      assertTrue(lab.exec(lab.namespace(2), "timeout", "5", "bash", "-c",
              "exec 3<>/dev/tcp/" + hostPort[0] + "/" + hostPort[1]).succeeded(),
          "broker unreachable from the namespace");
    }
  }

  @Test
  void brokersInChildJvmsListenOnTheBridgeToo() throws Exception {
    try (NetworkLab lab = NetworkLab.create(1);
        KafkaBrokers kafka = KafkaBrokers.start(
            KafkaBrokers.Options.brokers(1).withExtraListener(lab.bridgeAddress()))) {
      String bootstrap = kafka.bootstrapServersFor(lab.bridgeAddress());
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        List<String> advertised = admin.describeCluster().nodes().get().stream()
            .map(node -> node.host() + ":" + node.port()).toList();
        assertEquals(List.of(bootstrap), advertised);
      }
      String[] hostPort = bootstrap.split(":");
      assertTrue(lab.exec(lab.namespace(1), "timeout", "5", "bash", "-c",
              "exec 3<>/dev/tcp/" + hostPort[0] + "/" + hostPort[1]).succeeded(),
          "broker unreachable from the namespace");
    }
  }

  private static List<String> awaitStreaming(Connection c) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    List<String> standbys = List.of();
    while (standbys.isEmpty() && System.nanoTime() < deadline) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT application_name || ' ' || host(client_addr) "
              + "FROM pg_stat_replication WHERE state = 'streaming'")) {
        standbys = rs.next() ? List.of(rs.getString(1)) : List.of();
      }
      Thread.sleep(50);
    }
    return standbys;
  }
}
