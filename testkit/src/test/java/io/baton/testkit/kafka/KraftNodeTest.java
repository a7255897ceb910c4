package io.baton.testkit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KraftNodeTest {
  private static final KraftNode.Endpoints ONE = new KraftNode.Endpoints(1, 9001, 9101, Map.of());
  private static final KraftNode.Endpoints TWO = new KraftNode.Endpoints(2, 9002, 9102, Map.of());
  private static final KraftNode.Endpoints THREE =
      new KraftNode.Endpoints(3, 9003, 9103, Map.of("10.77.1.1", 9203));

  @Test
  void aSingleNodeReplicatesNothing() {
    Properties props = KraftNode.properties(ONE, List.of(ONE), Path.of("/data"), Map.of());

    assertEquals("1@127.0.0.1:9101", props.get("controller.quorum.voters"));
    for (String key : List.of("default.replication.factor", "min.insync.replicas",
        "offsets.topic.replication.factor", "transaction.state.log.replication.factor",
        "transaction.state.log.min.isr", "share.coordinator.state.topic.replication.factor",
        "share.coordinator.state.topic.min.isr")) {
      assertEquals("1", props.get(key), key);
    }
  }

  @Test
  void threeNodesReplicateThreeTimesAndNeedTwoInSync() {
    Properties props =
        KraftNode.properties(TWO, List.of(ONE, TWO, THREE), Path.of("/data"), Map.of());

    assertEquals("2", props.get("node.id"));
    assertEquals("broker,controller", props.get("process.roles"));
    assertEquals("1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103",
        props.get("controller.quorum.voters"));
    for (String key : List.of("default.replication.factor", "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "share.coordinator.state.topic.replication.factor")) {
      assertEquals("3", props.get(key), key);
    }
    for (String key : List.of("min.insync.replicas", "transaction.state.log.min.isr",
        "share.coordinator.state.topic.min.isr")) {
      assertEquals("2", props.get(key), key);
    }
  }

  @Test
  void listensOnLoopbackAndAdvertisesEachExtraAddressItself() {
    Properties props =
        KraftNode.properties(THREE, List.of(ONE, TWO, THREE), Path.of("/data"), Map.of());

    assertEquals("PLAINTEXT://127.0.0.1:9003,CONTROLLER://127.0.0.1:9103,EXTRA1://10.77.1.1:9203",
        props.get("listeners"));
    assertEquals("PLAINTEXT://127.0.0.1:9003,EXTRA1://10.77.1.1:9203",
        props.get("advertised.listeners"));
    assertEquals("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTRA1:PLAINTEXT",
        props.get("listener.security.protocol.map"));
    assertEquals("10.77.1.1:9203", THREE.brokerOn("10.77.1.1"));
    assertThrows(IllegalArgumentException.class, () -> THREE.brokerOn("10.77.2.1"));
  }

  @Test
  void overridesComeLastAndFastTestSettingsStay() {
    Properties props = KraftNode.properties(ONE, List.of(ONE), Path.of("/data"),
        Map.of("broker.session.timeout.ms", "3000", "num.partitions", "6"));

    assertEquals("3000", props.get("broker.session.timeout.ms"));
    assertEquals("6", props.get("num.partitions"));
    assertEquals("false", props.get("auto.create.topics.enable"));
    assertEquals("0", props.get("group.initial.rebalance.delay.ms"));
    assertEquals("/data", props.get("log.dirs"));
  }

  @Test
  void aNodeMustBeInItsQuorum() {
    assertThrows(IllegalArgumentException.class,
        () -> KraftNode.properties(ONE, List.of(TWO), Path.of("/data"), Map.of()));
  }
}
