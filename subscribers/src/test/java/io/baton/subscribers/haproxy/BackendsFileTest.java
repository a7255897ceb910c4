package io.baton.subscribers.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.subscribers.testing.HostileHosts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackendsFileTest {
  private static final List<HaproxyClusterConfig> CLUSTERS = List.of(
      new HaproxyClusterConfig("orders", Optional.empty(), Optional.empty(),
          Optional.of("127.0.0.1:6543")),
      new HaproxyClusterConfig("billing", Optional.of("be_billing"), Optional.of("db"),
          Optional.empty()));

  @Test
  void knownMastersGetTheirServerAndUnknownOnesADisabledPlaceholder() {
    MasterRecord orders = new MasterRecord("orders", 7, "n2", "10.1.2.3", 5433, 3,
        Lsn.parse("0/3000060"), Instant.parse("2026-01-01T00:00:00Z"), "test");
    String text = BackendsFile.render(CLUSTERS, Map.of("orders", orders), "check inter 1s");
    assertTrue(text.contains("frontend baton_orders_in\n    mode tcp\n    bind 127.0.0.1:6543\n"
        + "    default_backend baton_orders\n"), text);
    assertTrue(text.contains("backend baton_orders\n    mode tcp\n    retries 0\n    timeout connect 1s\n    # cluster orders: epoch 7,"
        + " node n2, primary since 2026-01-01T00:00:00Z\n    server primary 10.1.2.3:5433"
        + " check inter 1s\n"), text);
    assertTrue(text.contains("backend be_billing\n    mode tcp\n    retries 0\n    timeout connect 1s\n    # cluster billing: no master"
        + " known yet\n    server db 127.0.0.1:1 disabled check inter 1s\n"), text);
    assertEquals(1, text.split("frontend ", -1).length - 1, "no frontend without bind");
  }

  @Test
  void aServerAddressIsAHostOrAnIpAddressAndNothingElse() {
    for (String hostile : HostileHosts.ALL) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> BackendsFile.hostPort(hostile, 5432), hostile);
      assertTrue(refused.getMessage().chars().noneMatch(Character::isISOControl),
          refused.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> BackendsFile.hostPort("db", 0));
    assertThrows(IllegalArgumentException.class, () -> BackendsFile.hostPort("db", 65536));
    assertEquals("[fd00::1:2]:5432", BackendsFile.hostPort("fd00::1:2", 5432));
    assertEquals("[::ffff:10.0.0.1]:5432", BackendsFile.hostPort("::ffff:10.0.0.1", 5432));
    assertEquals("db.example.com:65535", BackendsFile.hostPort("db.example.com", 65535));
  }

  @Test
  void serverOptionsCannotStartALineOfTheirOwn() {
    assertThrows(IllegalArgumentException.class, () -> BackendsFile.render(CLUSTERS, Map.of(),
        "check\nprogram pwn\n    command /bin/true"));
  }
}
