package io.baton.subscribers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The application refuses configurations that cannot work, saying why. */
class SubscriberConfigTest {
  private static String failure(Map<String, Object> properties) {
    RuntimeException error = assertThrows(RuntimeException.class,
        () -> ApplicationContext.run(properties).close());
    StringBuilder messages = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }

  @Test
  void noEnabledSubscriberIsAnError() {
    String message = failure(Map.of("micronaut.server.port", -1));
    assertTrue(message.contains("no subscriber is enabled"), message);
  }

  @Test
  void aHookWithoutACommandIsAnError() {
    String message = failure(Map.of("baton.hook.enabled", true));
    assertTrue(message.contains("baton.hook.command must not be empty"), message);
  }

  @Test
  void haproxyNeedsAtLeastOneCluster() {
    String message = failure(Map.of("baton.haproxy.enabled", true));
    assertTrue(message.contains("baton.haproxy.clusters is empty"), message);
  }

  @Test
  void badValuesAreNamedByTheirKey() {
    String message = failure(Map.of("baton.haproxy.enabled", true,
        "baton.haproxy.reconcile-interval", "0s",
        "baton.haproxy.clusters.orders.bind", "127.0.0.1:6543"));
    assertTrue(message.contains("baton.haproxy.reconcile-interval must be a positive duration"),
        message);
  }

  @Test
  void aPgBouncerDatabaseNeedsACluster() {
    String message = failure(Map.of("baton.pgbouncer.enabled", true,
        "baton.pgbouncer.databases.app.dbname", "app"));
    assertTrue(message.contains("cluster"), message);
  }
}
