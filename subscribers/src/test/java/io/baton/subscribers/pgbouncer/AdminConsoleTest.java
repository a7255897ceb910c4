package io.baton.subscribers.pgbouncer;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What may be sent to PgBouncer's admin console: one command per {@code -c}, on one line, with
 * no {@code ;} that would start another. Refused before psql runs.
 */
class AdminConsoleTest {
  private final AdminConsole console = new AdminConsole(new PgBouncerConfig(true, "g",
      Path.of("/nonexistent/baton-test/databases.ini"), "127.0.0.1", 1, "pgbouncer",
      Optional.empty(), "BATON_TEST_NO_SUCH_VARIABLE", Path.of("/usr/bin/psql"),
      Duration.ofSeconds(1), Duration.ofSeconds(1), true));

  @Test
  void aCommandIsOneLineWithoutSemicolons() {
    for (String command : new String[] {"RELOAD\nSHUTDOWN", "RELOAD; SHUTDOWN", "KILL app\r",
        "RESUME app\u0000"}) {
      assertThrows(IllegalArgumentException.class,
          () -> console.run(Duration.ofSeconds(1), "SHOW DATABASES", command), command);
    }
  }
}
