package io.baton.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.exceptions.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The host goes into every heartbeat, whose contract accepts only hosts: checked at start. */
class PostgresConfigTest {
  private static PostgresConfig withHost(String host) {
    return new PostgresConfig(Path.of("/usr/lib/postgresql/15/bin"), Path.of("/var/lib/pg"), host,
        5432, Optional.empty(), Optional.empty(), Optional.empty(), "baton_agent",
        Optional.empty(), Optional.empty(), "verify-full", Optional.of(Path.of("/etc/baton/ca.crt")),
        "postgres", Optional.empty(), Duration.ofSeconds(60),
        Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofSeconds(5),
        Duration.ofSeconds(5));
  }

  @Test
  void aHostThatNoHeartbeatCouldCarryStopsTheAgentAtStart() {
    for (String host : new String[] {"pg_1", "db\nx", "[::1]", "db/app"}) {
      ConfigurationException refused =
          assertThrows(ConfigurationException.class, () -> withHost(host), host);
      assertTrue(refused.getMessage().startsWith("baton.postgres.host '"), refused.getMessage());
    }
    assertEquals("pg-1.example.com", withHost("pg-1.example.com").host());
    assertEquals("fd00::1", withHost("fd00::1").host());
  }
}
