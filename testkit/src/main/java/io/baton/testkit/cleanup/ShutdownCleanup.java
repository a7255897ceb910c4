package io.baton.testkit.cleanup;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last resort when a test fails or forgets to close something: one JVM shutdown hook that
 * closes every registered resource still open, stage by stage.
 *
 * <p>Stages run in a fixed order because the resources depend on each other: child processes
 * (agents, coordinators) die first so they stop touching PostgreSQL and Kafka; then servers
 * (PostgreSQL clusters, the embedded broker) and their directories; then network labs, whose
 * namespaces the others may live in. One hook instead of one per resource, because the JVM runs
 * separate hooks concurrently and in no order.
 *
 * <p>Owners cancel their registration when they close normally, so the hook only sees leftovers.
 */
public final class ShutdownCleanup {

  /** When a resource is closed at shutdown, earliest first. */
  public enum Stage {
    PROCESSES,
    SERVERS,
    NETWORK
  }

  /** A registered resource; {@link #cancel()} once it has been closed normally. */
  public static final class Registration {
    private final Stage stage;
    private final String description;
    private final AutoCloseable closeable;

    private Registration(Stage stage, String description, AutoCloseable closeable) {
      this.stage = stage;
      this.description = description;
      this.closeable = closeable;
    }

    public void cancel() {
      synchronized (ShutdownCleanup.class) {
        PENDING.get(stage).remove(this);
      }
    }
  }

  private static final Map<Stage, Set<Registration>> PENDING = new EnumMap<>(Stage.class);
  private static boolean hookInstalled;

  static {
    for (Stage stage : Stage.values()) {
      PENDING.put(stage, new LinkedHashSet<>());
    }
  }

  private ShutdownCleanup() {}

  public static synchronized Registration register(
      Stage stage, String description, AutoCloseable closeable) {
    if (!hookInstalled) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(ShutdownCleanup::runAll, "baton-testkit-cleanup"));
      hookInstalled = true;
    }
    Registration registration = new Registration(stage, description, closeable);
    PENDING.get(stage).add(registration);
    return registration;
  }

  private static void runAll() {
    for (Stage stage : Stage.values()) {
      List<Registration> leftovers;
      synchronized (ShutdownCleanup.class) {
        leftovers = new ArrayList<>(PENDING.get(stage));
      }
      // Newest first: a resource registered later may depend on an earlier one.
      for (int i = leftovers.size() - 1; i >= 0; i--) {
        Registration leftover = leftovers.get(i);
        // System.err rather than a logger: the logging back-end may already be shut down.
        System.err.println("[baton-testkit] shutdown: closing " + leftover.description);
        try {
          leftover.closeable.close();
        } catch (Exception | Error e) {
          System.err.println(
              "[baton-testkit] shutdown: could not close " + leftover.description + ": " + e);
        }
      }
    }
  }
}
