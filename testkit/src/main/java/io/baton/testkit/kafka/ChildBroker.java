package io.baton.testkit.kafka;

import io.baton.testkit.process.ChildProcess;
import io.baton.testkit.process.JvmLauncher;
import io.baton.testkit.process.Processes;
import io.baton.testkit.process.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One node of {@link KafkaBrokers} as an operating-system process: started from its {@code
 * server.properties}, signalled, and waited for until each signal has taken effect in the kernel.
 * Whether Kafka itself has noticed is {@link KafkaBrokers}' business.
 */
final class ChildBroker {
  /** Small on purpose: the machines running the tests have two cores and several brokers. */
  static final List<String> JVM_OPTIONS =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private static final String LOGGING = "io/baton/testkit/kafka/child-broker-logback.xml";
  private static final Duration SIGNAL_EFFECT_TIMEOUT = Duration.ofSeconds(10);

  /** What the process is doing, as far as the signals sent to it go. */
  enum State {
    RUNNING,
    PAUSED,
    DOWN
  }

  private final KraftNode.Endpoints endpoints;
  private final Path config;
  private final Path logFile;
  private final Map<String, String> environment;
  private final boolean echo;
  private Optional<ChildProcess> process = Optional.empty();
  private State state = State.DOWN;

  ChildBroker(KraftNode.Endpoints endpoints, Path config, Path logFile,
      Map<String, String> environment, boolean echo) {
    this.endpoints = endpoints;
    this.config = config;
    this.logFile = logFile;
    this.environment = Map.copyOf(environment);
    this.echo = echo;
  }

  int id() {
    return endpoints.nodeId();
  }

  KraftNode.Endpoints endpoints() {
    return endpoints;
  }

  Path logFile() {
    return logFile;
  }

  synchronized State state() {
    if (state != State.DOWN && process.isPresent() && !process.get().isAlive()) {
      state = State.DOWN;
    }
    return state;
  }

  /** The process, which may already have exited; for error messages. */
  synchronized Optional<ChildProcess> process() {
    return process;
  }

  /** Starts the JVM; Kafka is not serving yet when this returns. */
  synchronized void start() {
    if (state() != State.DOWN) {
      throw new IllegalStateException("Kafka node " + id() + " is " + state + ", not down");
    }
    JvmLauncher launcher = JvmLauncher.mainClass(ChildBrokerMain.class)
        .name("kafka-" + id())
        .args(config.toString())
        .jvmOptions(JVM_OPTIONS)
        .systemProperty("logback.configurationFile", LOGGING)
        .logFile(logFile)
        .echo(echo);
    environment.forEach(launcher::env);
    process = Optional.of(launcher.start());
    state = State.RUNNING;
  }

  /** SIGSTOP; returns once every thread of the JVM is stopped. */
  synchronized void pause() {
    ChildProcess running = require(State.RUNNING, "pause");
    running.signal(Signal.STOP);
    await(() -> {
      List<Character> threads = Processes.threadStates(running.pid());
      return !threads.isEmpty() && threads.stream().allMatch(s -> s == 'T');
    }, "every thread of node " + id() + " stopped");
    state = State.PAUSED;
  }

  /** SIGCONT; returns once no thread of the JVM is stopped any more. */
  synchronized void resume() {
    ChildProcess paused = require(State.PAUSED, "resume");
    paused.signal(Signal.CONT);
    await(() -> Processes.threadStates(paused.pid()).stream().noneMatch(s -> s == 'T'),
        "node " + id() + " running again");
    state = State.RUNNING;
  }

  /** SIGKILL; returns once the process is gone. A paused node can be killed too. */
  synchronized void kill() {
    ChildProcess victim = process.filter(p -> state() != State.DOWN).orElseThrow(
        () -> new IllegalStateException("Kafka node " + id() + " is already down"));
    victim.killTree();
    FakeClock.removeLeftovers(victim.pid());
    state = State.DOWN;
  }

  /**
   * SIGTERM, and a SIGCONT should the node be paused (else it could not act on the TERM); waits
   * for Kafka's controlled shutdown to finish and kills the node when it takes longer than
   * {@code timeout}.
   *
   * @return whether it stopped by itself within the timeout
   */
  synchronized boolean stop(Duration timeout) {
    ChildProcess stopping = process.filter(p -> state() != State.DOWN).orElseThrow(
        () -> new IllegalStateException("Kafka node " + id() + " is already down"));
    stopping.signal(Signal.TERM);
    if (state == State.PAUSED) {
      stopping.signal(Signal.CONT);
    }
    boolean clean = stopping.waitFor(timeout).isPresent();
    if (!clean) {
      stopping.killTree();
    }
    FakeClock.removeLeftovers(stopping.pid());
    state = State.DOWN;
    return clean;
  }

  /** Kills the node if it still runs; for closing the whole cluster, where nothing is kept. */
  synchronized void destroy() {
    process.ifPresent(p -> {
      p.killTree();
      FakeClock.removeLeftovers(p.pid());
    });
    state = State.DOWN;
  }

  private ChildProcess require(State expected, String action) {
    State current = state();
    if (current != expected || process.isEmpty()) {
      throw new IllegalStateException("cannot " + action + " Kafka node " + id() + ": it is "
          + current);
    }
    return process.get();
  }

  private void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + SIGNAL_EFFECT_TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not " + what + " within " + SIGNAL_EFFECT_TIMEOUT);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }
}
