package io.baton.testkit.kafka;

import io.baton.testkit.process.JvmLauncher;

/**
 * The main class of a {@link KafkaBrokers} node: Kafka's own {@code kafka.Kafka
 * server.properties}, in a JVM that ends with the test JVM that started it. That JVM's shutdown
 * hook kills its children, but when it is SIGKILLed itself (a test run cut short), nothing else
 * would stop a broker from holding its ports and memory for good.
 */
public final class ChildBrokerMain {
  private ChildBrokerMain() {}

  public static void main(String[] args) {
    String parent = System.getProperty(JvmLauncher.PARENT_PID_PROPERTY);
    if (parent != null) {
      ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
          process -> process.onExit().thenRun(ChildBrokerMain::orphaned),
          ChildBrokerMain::orphaned);
    }
    kafka.Kafka.main(args);
  }

  /** Halts at once: a clean shutdown would wait for peers that are being killed too. */
  private static void orphaned() {
    System.err.println("the test JVM that started this broker is gone: halting");
    FakeClock.removeLeftovers(ProcessHandle.current().pid());
    Runtime.getRuntime().halt(1);
  }
}
