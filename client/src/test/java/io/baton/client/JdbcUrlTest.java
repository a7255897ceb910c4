package io.baton.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What the application's JDBC driver makes of the URL: pgjdbc's own parser tells. */
class JdbcUrlTest {
  private static final Map<String, String> APPLICATION =
      Map.of("sslmode", "verify-full", "connectTimeout", "2");

  @Test
  void aHostCannotAddParametersServersOrADatabase() {
    for (String hostile : List.of("db/app?sslmode=disable&x=", "db?sslmode=disable", "db&x=1",
        "a,b", "a:5432,b", "db/other", "db 2", "db\nx", "db\u0000", "db#x", "[::1]", "db@x",
        "")) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> JdbcUrl.of(hostile, 5432, "app", APPLICATION), hostile);
      assertTrue(refused.getMessage().chars().noneMatch(Character::isISOControl),
          refused.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> JdbcUrl.of("db", 0, "app", APPLICATION));
  }

  @Test
  void theApplicationsSettingsAndDatabaseAreTheOnesTheDriverReads() throws SQLException {
    Properties parsed = parse(JdbcUrl.of("db.example.com", 5433, "app?sslmode=disable",
        APPLICATION));
    assertEquals("db.example.com", parsed.getProperty("PGHOST"));
    assertEquals("5433", parsed.getProperty("PGPORT"));
    assertEquals("app?sslmode=disable", parsed.getProperty("PGDBNAME"));
    assertEquals("verify-full", parsed.getProperty("sslmode"));
    assertEquals("2", parsed.getProperty("connectTimeout"));
  }

  @Test
  void anIpv6AddressGoesInBrackets() throws SQLException {
    String url = JdbcUrl.of("fd00::1:2", 5432, "app", Map.of());
    assertEquals("jdbc:postgresql://[fd00::1:2]:5432/app", url);
    assertEquals("[fd00::1:2]", parse(url).getProperty("PGHOST"));
  }

  private static Properties parse(String url) {
    Properties parsed = org.postgresql.Driver.parseURL(url, new Properties());
    if (parsed == null) {
      throw new AssertionError("pgjdbc cannot parse " + url);
    }
    return parsed;
  }
}
