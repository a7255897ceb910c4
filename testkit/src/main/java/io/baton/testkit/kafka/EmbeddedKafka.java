package io.baton.testkit.kafka;

import io.baton.testkit.cleanup.Directories;
import io.baton.testkit.cleanup.ShutdownCleanup;
import io.baton.testkit.net.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in this JVM: KRaft in combined mode (broker and controller in
 * one node), formatted and started from the {@code kafka_2.13} jars, data in a fresh temporary
 * directory removed on {@link #close()}.
 *
 * <p>Listeners bind 127.0.0.1 on free ports. {@link Options#withExtraListener(String)} adds a
 * listener bound to another local address, such as a {@link io.baton.testkit.netns.NetworkLab}
 * bridge, so processes inside network namespaces can reach the broker and be cut off from it;
 * each listener advertises its own address. The broker is tuned for one node and for fast tests:
 * no automatic topic creation, replication factor 1 for the internal topics (transactions need
 * it), no initial rebalance delay.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

  /** What to start; {@link #defaults()} is a loopback-only broker. */
  public record Options(List<String> extraListenerAddresses, Map<String, String> brokerConfig) {
    public Options {
      extraListenerAddresses = List.copyOf(extraListenerAddresses);
      brokerConfig = Map.copyOf(brokerConfig);
    }

    public static Options defaults() {
      return new Options(List.of(), Map.of());
    }

    /** Adds a listener bound to {@code address}, which must already be assigned locally. */
    public Options withExtraListener(String address) {
      List<String> addresses = new ArrayList<>(extraListenerAddresses);
      addresses.add(address);
      return new Options(addresses, brokerConfig);
    }

    /** Overrides or adds a broker setting. */
    public Options withBrokerConfig(String name, String value) {
      Map<String, String> config = new LinkedHashMap<>(brokerConfig);
      config.put(name, value);
      return new Options(extraListenerAddresses, config);
    }
  }

  private final Path directory;
  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Map<String, String> extraBootstrapServers;
  private final ShutdownCleanup.Registration cleanup;
  private boolean closed;

  private EmbeddedKafka(
      Path directory,
      KafkaRaftServer server,
      String bootstrapServers,
      Map<String, String> extraBootstrapServers) {
    this.directory = directory;
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.extraBootstrapServers = extraBootstrapServers;
    this.cleanup = ShutdownCleanup.register(
        ShutdownCleanup.Stage.SERVERS, "embedded Kafka broker " + bootstrapServers, this::stop);
  }

  public static EmbeddedKafka start() {
    return start(Options.defaults());
  }

  public static EmbeddedKafka start(Options options) {
    long started = System.nanoTime();
    Path directory = createDirectory();
    try {
      int brokerPort = FreePorts.loopback();
      int controllerPort = FreePorts.loopback();
      Map<String, String> extra = new LinkedHashMap<>();
      List<String> listeners = new ArrayList<>(List.of(
          "PLAINTEXT://127.0.0.1:" + brokerPort, "CONTROLLER://127.0.0.1:" + controllerPort));
      List<String> advertised = new ArrayList<>(List.of("PLAINTEXT://127.0.0.1:" + brokerPort));
      List<String> protocols = new ArrayList<>(List.of("PLAINTEXT:PLAINTEXT",
          "CONTROLLER:PLAINTEXT"));
      int index = 1;
      for (String address : options.extraListenerAddresses()) {
        String name = "EXTRA" + index++;
        String hostPort = address + ":" + FreePorts.on(address);
        listeners.add(name + "://" + hostPort);
        advertised.add(name + "://" + hostPort);
        protocols.add(name + ":PLAINTEXT");
        extra.put(address, hostPort);
      }

      Properties props = new Properties();
      props.put("process.roles", "broker,controller");
      props.put("node.id", "1");
      props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
      props.put("controller.listener.names", "CONTROLLER");
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("listeners", String.join(",", listeners));
      props.put("advertised.listeners", String.join(",", advertised));
      props.put("listener.security.protocol.map", String.join(",", protocols));
      props.put("log.dirs", directory.resolve("data").toString());
      props.put("auto.create.topics.enable", "false");
      props.put("num.partitions", "1");
      props.put("default.replication.factor", "1");
      props.put("min.insync.replicas", "1");
      props.put("offsets.topic.replication.factor", "1");
      props.put("offsets.topic.num.partitions", "1");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("transaction.state.log.num.partitions", "1");
      props.put("share.coordinator.state.topic.replication.factor", "1");
      props.put("share.coordinator.state.topic.min.isr", "1");
      props.put("group.initial.rebalance.delay.ms", "0");
      props.put("log.segment.bytes", Integer.toString(1024 * 1024));
      // The cleaner allocates its dedupe buffer (128 MiB by default) on the test JVM's heap.
      props.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
      props.putAll(options.brokerConfig());

      format(directory, props);
      KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
      try {
        server.startup();
      } catch (RuntimeException e) {
        server.shutdown();
        throw e;
      }
      String bootstrap = "127.0.0.1:" + brokerPort;
      log.info("Kafka broker on {} started in {} ms (data in {})", bootstrap,
          Duration.ofNanos(System.nanoTime() - started).toMillis(), directory);
      return new EmbeddedKafka(directory, server, bootstrap, Map.copyOf(extra));
    } catch (RuntimeException | Error e) {
      Directories.deleteRecursively(directory);
      throw e;
    }
  }

  private static Path createDirectory() {
    try {
      return Files.createTempDirectory("baton-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory for Kafka", e);
    }
  }

  private static void format(Path directory, Properties props) {
    Path config = directory.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(config)) {
      props.store(out, "embedded Kafka broker");
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + config, e);
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int code;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      code = StorageTool.execute(new String[] {
          "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString()},
          print);
    }
    if (code != 0) {
      throw new IllegalStateException("formatting the Kafka log directory failed (exit " + code
          + "): " + output.toString(StandardCharsets.UTF_8));
    }
  }

  /** The loopback listener, e.g. {@code 127.0.0.1:39123}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The listener bound to an address given with {@link Options#withExtraListener(String)}. */
  public String bootstrapServersFor(String extraListenerAddress) {
    String hostPort = extraBootstrapServers.get(extraListenerAddress);
    if (hostPort == null) {
      throw new IllegalArgumentException("no listener on " + extraListenerAddress
          + "; extra listeners: " + extraBootstrapServers.keySet());
    }
    return hostPort;
  }

  /** Stops the broker and deletes its data directory. */
  @Override
  public void close() {
    cleanup.cancel();
    stop();
  }

  private synchronized void stop() {
    if (closed) {
      return;
    }
    closed = true;
    long started = System.nanoTime();
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      Directories.deleteRecursively(directory);
    }
    log.info("Kafka broker on {} stopped in {} ms", bootstrapServers,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }
}
