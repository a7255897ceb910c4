package io.baton.testkit.kafka;

import io.baton.testkit.cleanup.Directories;
import io.baton.testkit.cleanup.ShutdownCleanup;
import io.baton.testkit.net.FreePorts;
import io.baton.testkit.process.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft cluster of 1 or 3 nodes for fault tests, each node a child JVM running Kafka's
 * own {@code kafka.Kafka server.properties} from the jars on this JVM's classpath, so a test can
 * freeze, kill, restart and skew the clock of one broker while the others and the test go on.
 * Nodes are broker and controller at once, with ids 1 to n, settings as {@link KraftNode}
 * describes (replicated as in production at 3 nodes; tuned for fast tests), data under one
 * temporary directory removed on {@link #close()}, and logs in the test kit's log directory.
 *
 * <p>Every control returns once its effect is real: {@link #pause(int)} once every thread of the
 * JVM is stopped, {@link #restart(int)} and {@link #resume(int)} once the node serves again
 * (answers, is unfenced, and is back in the ISR of every partition it replicates), {@link
 * #skewClock(int, Duration)} once the broker stamps records with the shifted time.
 *
 * <p>A broker's clock can be skewed when the cluster was started with {@link
 * Options#withSkewableClocks()} and libfaketime is installed ({@link FakeClock}); the other
 * controls need nothing but Java. {@link #skewClock(int, Duration)} proves its effect on a
 * topic of its own per broker, {@value #CLOCK_PROBE_PREFIX}{@code <id>}.
 */
public final class KafkaBrokers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaBrokers.class);
  static final String CLOCK_PROBE_PREFIX = "baton-testkit.clock-probe.";
  /** Three nodes start in ~10 s on two idle cores, and took 50 s at a load average of 20. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration SERVE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  /** What to start; {@link #brokers(int)} is a loopback-only cluster of that many nodes. */
  public record Options(
      int brokers,
      List<String> extraListenerAddresses,
      Map<String, String> brokerConfig,
      boolean skewableClocks,
      boolean echo) {
    public Options {
      if (brokers != 1 && brokers != 3) {
        throw new IllegalArgumentException("1 or 3 Kafka nodes (a quorum that survives the loss"
            + " of one needs three), not " + brokers);
      }
      extraListenerAddresses = List.copyOf(extraListenerAddresses);
      brokerConfig = Map.copyOf(brokerConfig);
    }

    public static Options brokers(int count) {
      return new Options(count, List.of(), Map.of(), false, false);
    }

    /** Adds a listener on every node bound to {@code address}, which must be assigned locally. */
    public Options withExtraListener(String address) {
      List<String> addresses = new ArrayList<>(extraListenerAddresses);
      addresses.add(address);
      return new Options(brokers, addresses, brokerConfig, skewableClocks, echo);
    }

    /** Overrides or adds a setting of every node. */
    public Options withBrokerConfig(String name, String value) {
      Map<String, String> config = new LinkedHashMap<>(brokerConfig);
      config.put(name, value);
      return new Options(brokers, extraListenerAddresses, config, skewableClocks, echo);
    }

    /** Preloads libfaketime into every node, if installed, so {@link #skewClock} works. */
    public Options withSkewableClocks() {
      return new Options(brokers, extraListenerAddresses, brokerConfig, true, echo);
    }

    /** Copies the nodes' log lines to this JVM's stdout, prefixed {@code [kafka-<id>]}. */
    public Options withEcho(boolean echoLogs) {
      return new Options(brokers, extraListenerAddresses, brokerConfig, skewableClocks, echoLogs);
    }
  }

  private final Path directory;
  private final List<ChildBroker> nodes;
  private final Map<Integer, Path> clockFiles;
  private final Admin admin;
  private final ShutdownCleanup.Registration cleanup;
  private boolean closed;

  private KafkaBrokers(Path directory, List<ChildBroker> nodes, Map<Integer, Path> clockFiles) {
    this.directory = directory;
    this.nodes = List.copyOf(nodes);
    this.clockFiles = Map.copyOf(clockFiles);
    this.admin = Admin.create(KafkaQueries.adminConfig(bootstrapServers()));
    this.cleanup = ShutdownCleanup.register(ShutdownCleanup.Stage.SERVERS,
        "Kafka brokers " + bootstrapServers(), this::destroy);
  }

  public static KafkaBrokers start(int brokers) {
    return start(Options.brokers(brokers));
  }

  public static KafkaBrokers start(Options options) {
    long started = System.nanoTime();
    Path directory = createDirectory();
    KafkaBrokers cluster;
    try {
      List<KraftNode.Endpoints> quorum = new ArrayList<>();
      for (int id = 1; id <= options.brokers(); id++) {
        Map<String, Integer> extraPorts = new LinkedHashMap<>();
        for (String address : options.extraListenerAddresses()) {
          extraPorts.put(address, FreePorts.on(address));
        }
        List<Integer> ports = FreePorts.loopback(2);
        quorum.add(new KraftNode.Endpoints(id, ports.get(0), ports.get(1), extraPorts));
      }
      Optional<Path> faketime =
          options.skewableClocks() ? FakeClock.library() : Optional.empty();
      if (options.skewableClocks() && faketime.isEmpty()) {
        log.warn("libfaketime is not installed: skewClock will fail (apt-get install faketime)");
      }
      String clusterId = Uuid.randomUuid().toString();
      List<ChildBroker> nodes = new ArrayList<>();
      Map<Integer, Path> clockFiles = new LinkedHashMap<>();
      for (KraftNode.Endpoints endpoints : quorum) {
        Path home = Files.createDirectories(directory.resolve("node-" + endpoints.nodeId()));
        Properties props = KraftNode.properties(
            endpoints, quorum, home.resolve("data"), options.brokerConfig());
        Path config = home.resolve("server.properties");
        KraftStorage.writeAndFormat(config, props, clusterId);
        Map<String, String> environment = Map.of();
        if (faketime.isPresent()) {
          Path clock = home.resolve("clock-offset");
          FakeClock.write(clock, Duration.ZERO);
          clockFiles.put(endpoints.nodeId(), clock);
          environment = FakeClock.environment(faketime.get(), clock);
        }
        Path logFile = ChildProcess.logDirectory()
            .resolve(directory.getFileName() + "-node-" + endpoints.nodeId() + ".log");
        nodes.add(new ChildBroker(endpoints, config, logFile, environment, options.echo()));
      }
      cluster = new KafkaBrokers(directory, nodes, clockFiles);
    } catch (IOException e) {
      Directories.deleteRecursively(directory);
      throw new UncheckedIOException("could not prepare the Kafka nodes in " + directory, e);
    } catch (RuntimeException | Error e) {
      Directories.deleteRecursively(directory);
      throw e;
    }
    try {
      cluster.nodes.forEach(ChildBroker::start);
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      for (ChildBroker node : cluster.nodes) {
        cluster.awaitServing(node, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      }
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
    log.info("{} Kafka node(s) on {} started in {} ms (data in {})", options.brokers(),
        cluster.bootstrapServers(), millisSince(started), directory);
    return cluster;
  }

  private static Path createDirectory() {
    try {
      return Files.createTempDirectory("baton-kafka-brokers-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory for Kafka", e);
    }
  }

  /** The node ids, 1 to n. */
  public List<Integer> brokerIds() {
    return nodes.stream().map(ChildBroker::id).toList();
  }

  /** Every node's loopback listener, e.g. {@code 127.0.0.1:39123,127.0.0.1:39125}. */
  public String bootstrapServers() {
    return nodes.stream().map(n -> n.endpoints().broker()).collect(Collectors.joining(","));
  }

  /** Every node's listener on an address given with {@link Options#withExtraListener}. */
  public String bootstrapServersFor(String extraListenerAddress) {
    return nodes.stream()
        .map(n -> n.endpoints().brokerOn(extraListenerAddress))
        .collect(Collectors.joining(","));
  }

  /** Where a node's output goes, kept after the test (restarts append to it). */
  public Path logFile(int broker) {
    return node(broker).logFile();
  }

  /** SIGSTOP: the node keeps its sockets open and answers nothing, like a hung machine. */
  public synchronized void pause(int broker) {
    node(broker).pause();
    log.info("Kafka node {} paused (SIGSTOP)", broker);
  }

  /** SIGCONT; returns once the node serves again. */
  public synchronized void resume(int broker) {
    long started = System.nanoTime();
    ChildBroker node = node(broker);
    node.resume();
    awaitServing(node, SERVE_TIMEOUT);
    log.info("Kafka node {} resumed (SIGCONT), serving after {} ms", broker, millisSince(started));
  }

  /** SIGKILL; returns once the process is gone (Kafka notices later, by missed heartbeats). */
  public synchronized void kill(int broker) {
    node(broker).kill();
    log.info("Kafka node {} killed (SIGKILL)", broker);
  }

  /** SIGTERM; returns once Kafka's controlled shutdown has ended the process. */
  public synchronized void stop(int broker) {
    long started = System.nanoTime();
    if (!node(broker).stop(STOP_TIMEOUT)) {
      throw new IllegalStateException("Kafka node " + broker + " did not stop within "
          + STOP_TIMEOUT + " of SIGTERM and was killed; see " + logFile(broker));
    }
    log.info("Kafka node {} stopped (SIGTERM) in {} ms", broker, millisSince(started));
  }

  /**
   * Starts a killed or stopped node again, on its ports and data directory (and clock offset);
   * returns once it serves.
   */
  public synchronized void restart(int broker) {
    long started = System.nanoTime();
    ChildBroker node = node(broker);
    node.start();
    // A new JVM, as at the start: 63 s seen for one node at a load average of 9.
    awaitServing(node, START_TIMEOUT);
    log.info("Kafka node {} restarted, serving after {} ms", broker, millisSince(started));
  }

  /** The current leader of a partition, empty while it has none. */
  public OptionalInt leaderOf(String topic, int partition) {
    TopicDescription description = KafkaQueries.describe(admin, List.of(topic)).get(topic);
    TopicPartitionInfo info = description.partitions().stream()
        .filter(p -> p.partition() == partition)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(topic + " has no partition " + partition));
    return info.leader() == null || info.leader().isEmpty()
        ? OptionalInt.empty()
        : OptionalInt.of(info.leader().id());
  }

  /** Waits until a partition has a leader that {@code acceptable} accepts, and returns it. */
  public int awaitLeader(String topic, int partition, IntPredicate acceptable, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (true) {
      try {
        OptionalInt leader = leaderOf(topic, partition);
        if (leader.isPresent() && acceptable.test(leader.getAsInt())) {
          return leader.getAsInt();
        }
        last = leader.isPresent() ? "leader " + leader.getAsInt() : "no leader";
      } catch (IllegalStateException e) {
        last = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no acceptable leader of " + topic + "-" + partition
            + " within " + timeout + "; last seen: " + last);
      }
      KafkaQueries.pause();
    }
  }

  /** The id of the active KRaft controller (the quorum's leader). */
  public int controller() {
    return KafkaQueries.quorumLeader(admin);
  }

  /**
   * Shifts a running node's wall clock by {@code offset} from the real time (not from its
   * previous offset) and returns once it stamps records with the shifted time; the monotonic
   * clock is left alone. The offset survives a restart of the node.
   *
   * @throws io.baton.testkit.MissingToolException when libfaketime is not installed
   * @throws IllegalStateException when the cluster was started without {@link
   *     Options#withSkewableClocks()}, or the node is not running
   */
  public synchronized void skewClock(int broker, Duration offset) {
    FakeClock.requireLibrary(FakeClock.library());
    Path clock = clockFiles.get(broker);
    if (clock == null) {
      node(broker);
      throw new IllegalStateException("the clocks of these brokers cannot be skewed: start them"
          + " with KafkaBrokers.Options.withSkewableClocks()"
          + (clockFiles.isEmpty() ? " (with libfaketime installed when they start)" : ""));
    }
    if (node(broker).state() != ChildBroker.State.RUNNING) {
      throw new IllegalStateException("cannot skew the clock of Kafka node " + broker
          + ": it is " + node(broker).state());
    }
    long started = System.nanoTime();
    FakeClock.write(clock, offset);
    KafkaQueries.awaitClockOffset(admin, bootstrapServers(), CLOCK_PROBE_PREFIX + broker, broker,
        offset, SERVE_TIMEOUT);
    log.info("Kafka node {} clock skewed by {} (in effect after {} ms)", broker, offset,
        millisSince(started));
  }

  private ChildBroker node(int broker) {
    return nodes.stream().filter(n -> n.id() == broker).findFirst().orElseThrow(
        () -> new IllegalArgumentException("no Kafka node " + broker + "; nodes: " + brokerIds()));
  }

  /** Until the node answers, is unfenced and is in the ISR of every partition it replicates. */
  private void awaitServing(ChildBroker node, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin direct = Admin.create(KafkaQueries.adminConfig(node.endpoints().broker()))) {
      String last = "not answering";
      while (true) {
        if (node.state() == ChildBroker.State.DOWN) {
          throw new IllegalStateException("Kafka node " + node.id() + " exited while starting;"
              + " see " + node.logFile() + "; last lines:\n" + tail(node));
        }
        Optional<String> missing = KafkaQueries.notServing(direct, admin, node.id());
        if (missing.isEmpty()) {
          return;
        }
        last = missing.get();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Kafka node " + node.id() + " not serving within "
              + timeout + " (" + last + "); see " + node.logFile() + "; last lines:\n"
              + tail(node));
        }
        KafkaQueries.pause();
      }
    }
  }

  private static String tail(ChildBroker node) {
    List<String> lines = node.process().map(ChildProcess::lines).orElse(List.of());
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }

  private static long millisSince(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
  }

  /** Kills every node and deletes the data directories; logs stay. */
  @Override
  public void close() {
    cleanup.cancel();
    destroy();
  }

  private synchronized void destroy() {
    if (closed) {
      return;
    }
    closed = true;
    long started = System.nanoTime();
    try {
      admin.close(Duration.ZERO);
      // Killed rather than stopped: controlled shutdowns take seconds, and nothing is kept.
      nodes.forEach(ChildBroker::destroy);
    } finally {
      Directories.deleteRecursively(directory);
    }
    log.info("Kafka nodes on {} killed and removed in {} ms", bootstrapServers(),
        millisSince(started));
  }

  /** For log lines and failure messages. */
  @Override
  public String toString() {
    return "KafkaBrokers" + nodes.stream()
        .map(n -> n.id() + "=" + n.state())
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
