package io.baton.subscribers.pgbouncer;

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

class DatabasesFileTest {
  private static final PgBouncerDatabaseConfig APP = new PgBouncerDatabaseConfig("app", "orders",
      Optional.empty(), Optional.of("pool_size=20"));
  private static final PgBouncerDatabaseConfig REPORTS = new PgBouncerDatabaseConfig("reports", "billing",
      Optional.of("billing_db"), Optional.empty());

  @Test
  void appliedClustersAreWrittenAndOthersKeepTheirExistingLines() {
    MasterRecord orders = new MasterRecord("orders", 2, "n2", "10.0.0.2", 5433, 2,
        Lsn.parse("0/3000060"), Instant.now(), "test");
    String existing = "[databases]\napp = host=10.0.0.1 port=5432 dbname=app\n"
        + "reports = host=10.9.9.9 port=6000 dbname=billing_db\n";
    String text = DatabasesFile.render(List.of(APP, REPORTS), Map.of("orders", orders),
        DatabasesFile.entries(existing));
    assertEquals(Map.of(
            "app", "app = host=10.0.0.2 port=5433 dbname=app pool_size=20",
            "reports", "reports = host=10.9.9.9 port=6000 dbname=billing_db"),
        DatabasesFile.entries(text));
    assertEquals(Map.of("app", "app = host=10.0.0.2 port=5433 dbname=app pool_size=20"),
        DatabasesFile.entries(DatabasesFile.render(List.of(APP, REPORTS),
            Map.of("orders", orders), Map.of())), "unknown and never written: left out");
  }

  @Test
  void anEntryTakesOnlyAHostOrAnIpAddressAndAPort() {
    for (String hostile : HostileHosts.ALL) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> DatabasesFile.line(APP, hostile, 5433), hostile);
      assertTrue(refused.getMessage().chars().noneMatch(Character::isISOControl),
          refused.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> DatabasesFile.line(APP, "db", 0));
    assertThrows(IllegalArgumentException.class, () -> DatabasesFile.line(APP, "db", 65536));
    assertEquals("app = host=fd00::1:2 port=5433 dbname=app pool_size=20",
        DatabasesFile.line(APP, "fd00::1:2", 5433));
    assertEquals("app = host=db.example.com port=5433 dbname=app pool_size=20",
        DatabasesFile.line(APP, "db.example.com", 5433));
  }
}
