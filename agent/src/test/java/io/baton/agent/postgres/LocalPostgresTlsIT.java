package io.baton.agent.postgres;

import static io.baton.agent.postgres.ClusterNodes.agentOf;
import static io.baton.agent.postgres.ClusterNodes.await;
import static io.baton.agent.postgres.ClusterNodes.upstream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.agent.postgres.PostgresControl.StartAs;
import io.baton.events.Health;
import io.baton.events.PostgresStatus;
import io.baton.testkit.postgres.PostgresCluster;
import io.baton.testkit.postgres.PostgresNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, finding 5: the agent's standby streams over TLS with the upstream's certificate
 * verified ({@code sslmode=verify-full} in the primary_conninfo the agent writes), the agent's
 * own connections use TLS, and an agent refuses a server whose certificate does not name the
 * host it asked for, before it sends its password.
 */
class LocalPostgresTlsIT {
  @Test
  void replicationAndTheAgentsConnectionsUseVerifiedTls() throws Exception {
    try (PostgresCluster cluster = PostgresCluster.builder().nodes(2).build()) {
      PostgresNode node1 = cluster.node("n1");
      PostgresNode node2 = cluster.node("n2");
      try (LocalPostgres n1 = agentOf(cluster, node1);
          LocalPostgres n2 = agentOf(cluster, node2)) {
        n1.start(new StartAs.Primary(""));
        n2.start(new StartAs.Standby(Optional.of(upstream(node1))));
        await("n2 streaming from n1", Duration.ofSeconds(20), n1::observe,
            s -> s.replicas().stream().anyMatch(r -> r.application().equals("n2")
                && r.isStreaming()));

        try (Connection c = cluster.superuserConnection(node1);
            Statement s = c.createStatement()) {
          try (ResultSet walsender = s.executeQuery("SELECT s.ssl FROM pg_stat_replication r"
              + " JOIN pg_stat_ssl s USING (pid) WHERE r.application_name = 'n2'")) {
            assertTrue(walsender.next(), "no WAL sender for n2");
            assertTrue(walsender.getBoolean(1), "n2 streams without TLS");
          }
          try (ResultSet agent = s.executeQuery("SELECT count(*), bool_and(s.ssl)"
              + " FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)"
              + " WHERE a.usename = 'baton_agent' AND a.backend_type = 'client backend'")) {
            agent.next();
            assertTrue(agent.getLong(1) > 0, "the agent keeps a connection open");
            assertTrue(agent.getBoolean(2), "an agent connection without TLS");
          }
        }
        String conninfo = java.nio.file.Files.readString(
            node2.nodeDir().resolve("agent").resolve(LocalPostgres.CONFIG_FILE_NAME));
        assertTrue(conninfo.contains("sslmode=verify-full sslrootcert="
            + cluster.rootCertificate()), conninfo);

        // The certificate names 127.0.0.1; an agent told that its server is "localhost" reaches
        // the same server but must not trust it, so it never authenticates.
        PostgresSettings misnamed = ClusterNodes.settings(cluster, node1,
            cluster.agentCredentials().password(), "misnamed").toBuilder()
            .host("localhost").build();
        try (LocalPostgres wrong = new LocalPostgres(misnamed)) {
          PostgresStatus refused = wrong.observe();
          assertNotEquals(Health.UP, refused.health(), refused.toString());
          String error = refused.error().orElse("");
          assertTrue(error.contains("hostname") || error.contains("certificate"), error);
        }
        assertEquals(Health.UP, n1.observe().health());
      }
    }
  }
}
