package io.baton.testkit.kafka;

import io.baton.testkit.cleanup.Directories;
import io.baton.testkit.cleanup.ShutdownCleanup;
import io.baton.testkit.net.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * each listener advertises its own address. The broker is tuned for one node and for fast tests
 * as {@link KraftNode} describes: no automatic topic creation, replication factor 1 for the
 * internal topics (transactions need it), no initial rebalance delay. {@link KafkaBrokers} runs
 * brokers in their own JVMs instead, for tests that freeze or kill them.
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
      Map<String, Integer> extraPorts = new LinkedHashMap<>();
      for (String address : options.extraListenerAddresses()) {
        extraPorts.put(address, FreePorts.on(address));
      }
      KraftNode.Endpoints node =
          new KraftNode.Endpoints(1, FreePorts.loopback(), FreePorts.loopback(), extraPorts);
      Properties props = KraftNode.properties(
          node, List.of(node), directory.resolve("data"), options.brokerConfig());
      KraftStorage.writeAndFormat(
          directory.resolve("server.properties"), props, Uuid.randomUuid().toString());
      KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
      try {
        server.startup();
      } catch (RuntimeException e) {
        server.shutdown();
        throw e;
      }
      String bootstrap = node.broker();
      log.info("Kafka broker on {} started in {} ms (data in {})", bootstrap,
          Duration.ofNanos(System.nanoTime() - started).toMillis(), directory);
      Map<String, String> extra = new LinkedHashMap<>();
      extraPorts.keySet().forEach(address -> extra.put(address, node.brokerOn(address)));
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
