package io.baton.subscribers.haproxy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.subscribers.testing.HostileHosts;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What may be sent on HAProxy's admin socket. HAProxy splits commands at a newline or a {@code
 * ;}, so a value holding either would send a command of its own: refused before any connection
 * (the socket here does not exist, so anything that got as far as connecting fails otherwise).
 */
class RuntimeApiTest {
  private final RuntimeApi api =
      new RuntimeApi(Path.of("/nonexistent/baton-test/admin.sock"), Duration.ofSeconds(1));

  @Test
  void aCommandIsOneLineWithoutSemicolons() {
    for (String command : new String[] {"show servers state b\nshutdown sessions server b/s",
        "show servers state b;shutdown sessions server b/s", "show servers state b\r",
        "show servers state b\u0000"}) {
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> api.execute(command), command);
      assertTrue(refused.getMessage().chars().noneMatch(Character::isISOControl),
          refused.getMessage());
    }
  }

  @Test
  void aServerIsMovedOnlyToAnIpAddressAndAPort() {
    for (String hostile : HostileHosts.ALL) {
      assertThrows(IllegalArgumentException.class,
          () -> api.moveServer("baton_orders", "primary", hostile, 5432), hostile);
    }
    assertThrows(IllegalArgumentException.class,
        () -> api.moveServer("baton_orders", "primary", "db.example.com", 5432),
        "the Runtime API takes addresses; names are resolved before");
    assertThrows(IllegalArgumentException.class,
        () -> api.moveServer("baton_orders", "primary", "10.0.0.1", 0));
  }
}
