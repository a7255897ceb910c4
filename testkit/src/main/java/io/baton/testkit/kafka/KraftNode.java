package io.baton.testkit.kafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The {@code server.properties} of one node of a test KRaft cluster in combined mode (broker and
 * controller in one process), shared by {@link EmbeddedKafka} and {@link KafkaBrokers}.
 *
 * <p>Listeners: {@code PLAINTEXT} (clients and replication) and {@code CONTROLLER} on 127.0.0.1,
 * plus {@code EXTRA<i>} on each extra address; each advertises its own address. The controller
 * quorum is every node of the cluster, listed statically.
 *
 * <p>Replication follows the cluster's size the way Baton's coordinator chooses it for its own
 * topics: factor {@code min(3, nodes)} and {@code min.insync.replicas} {@code min(2, factor)},
 * for topics created without settings and for the internal offsets, transaction and share-state
 * topics. One node thus replicates nothing (transactions need their log's min ISR at 1), three
 * nodes replicate as a production cluster does.
 *
 * <p>Tuned for fast tests: no automatic topic creation, one partition per new and internal topic,
 * no initial rebalance delay, 1 MiB segments, and an 8 MiB cleaner buffer (128 MiB by default,
 * allocated on a heap that is small here).
 */
final class KraftNode {
  private static final String LOOPBACK = "127.0.0.1";

  private KraftNode() {}

  /**
   * Where one node listens.
   *
   * @param extraPorts by extra listener address, in the order the listeners were asked for
   */
  record Endpoints(
      int nodeId, int brokerPort, int controllerPort, Map<String, Integer> extraPorts) {
    Endpoints {
      extraPorts = Collections.unmodifiableMap(new LinkedHashMap<>(extraPorts));
    }

    String broker() {
      return LOOPBACK + ":" + brokerPort;
    }

    String controller() {
      return LOOPBACK + ":" + controllerPort;
    }

    /** The broker listener on an extra address, {@code host:port}. */
    String brokerOn(String address) {
      Integer port = extraPorts.get(address);
      if (port == null) {
        throw new IllegalArgumentException("no listener on " + address + "; extra listeners: "
            + extraPorts.keySet());
      }
      return address + ":" + port;
    }
  }

  /** Replication factor of topics created without one: the coordinator's rule. */
  static int replicationFactor(int nodes) {
    return Math.min(3, nodes);
  }

  static int minInsyncReplicas(int nodes) {
    return Math.min(2, replicationFactor(nodes));
  }

  /**
   * The settings of {@code self}, one of {@code quorum}, with {@code overrides} applied last.
   */
  static Properties properties(
      Endpoints self, List<Endpoints> quorum, Path logDirectory, Map<String, String> overrides) {
    if (!quorum.contains(self)) {
      throw new IllegalArgumentException("node " + self.nodeId() + " is not in its quorum");
    }
    List<String> listeners = new ArrayList<>(List.of(
        "PLAINTEXT://" + self.broker(), "CONTROLLER://" + self.controller()));
    List<String> advertised = new ArrayList<>(List.of("PLAINTEXT://" + self.broker()));
    List<String> protocols =
        new ArrayList<>(List.of("PLAINTEXT:PLAINTEXT", "CONTROLLER:PLAINTEXT"));
    int index = 1;
    for (String address : self.extraPorts().keySet()) {
      String name = "EXTRA" + index++;
      listeners.add(name + "://" + self.brokerOn(address));
      advertised.add(name + "://" + self.brokerOn(address));
      protocols.add(name + ":PLAINTEXT");
    }
    String factor = Integer.toString(replicationFactor(quorum.size()));
    String minInsync = Integer.toString(minInsyncReplicas(quorum.size()));

    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(self.nodeId()));
    props.put("controller.quorum.voters", quorum.stream()
        .map(node -> node.nodeId() + "@" + node.controller())
        .collect(Collectors.joining(",")));
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listeners", String.join(",", listeners));
    props.put("advertised.listeners", String.join(",", advertised));
    props.put("listener.security.protocol.map", String.join(",", protocols));
    props.put("log.dirs", logDirectory.toString());
    props.put("auto.create.topics.enable", "false");
    props.put("num.partitions", "1");
    props.put("default.replication.factor", factor);
    props.put("min.insync.replicas", minInsync);
    props.put("offsets.topic.replication.factor", factor);
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", factor);
    props.put("transaction.state.log.min.isr", minInsync);
    props.put("transaction.state.log.num.partitions", "1");
    props.put("share.coordinator.state.topic.replication.factor", factor);
    props.put("share.coordinator.state.topic.min.isr", minInsync);
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("log.segment.bytes", Integer.toString(1024 * 1024));
    props.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    props.putAll(overrides);
    return props;
  }
}
