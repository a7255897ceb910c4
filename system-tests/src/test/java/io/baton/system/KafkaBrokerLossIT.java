package io.baton.system;

import static io.baton.system.ClusterAssertions.assertOnePrimaryAllStreaming;
import static io.baton.system.ClusterAssertions.eventTypes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.baton.events.EventType;
import io.baton.events.MasterRecord;
import io.baton.lab.ClusterChecks;
import io.baton.lab.Lab;
import io.baton.testkit.kafka.KafkaBrokers;
import io.baton.testkit.probe.WriteProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/**
 * A 3-node PostgreSQL cluster on three Kafka brokers, each in its own JVM: the coordinator
 * replicates its topics over all three, and losing one broker (killed, then restarted) costs no
 * write and changes no master.
 *
 * <p>Not at the default timings: whichever broker dies, acks=all appends to the heartbeats stall
 * until the controller fences it (broker.session.timeout.ms, 9 s; the leader waits for every
 * replica in the ISR), and at fence-after 3 s / failover-after 5 s the primary fences, gives up
 * its role and another node is promoted (seen here: epoch 2). Issue 11 is to make the defaults
 * survive this; until then the agents and coordinator wait longer than Kafka's fencing.
 */
class KafkaBrokerLossIT {
  /** Longer than Kafka's fencing of a dead broker (9 s) and a margin for a loaded machine. */
  private static final Duration FENCE_AFTER = Duration.ofSeconds(15);
  private static final Duration FAILOVER_AFTER = Duration.ofSeconds(20);
  /** Long enough for a heartbeat gap to have been acted on. */
  private static final Duration OBSERVE = FAILOVER_AFTER.plusSeconds(5);

  @Test
  void losingABrokerChangesNoMasterAndCostsNoWrite() throws Exception {
    try (Lab lab = Lab.builder().cluster("broker-loss").kafkaBrokers(3)
        .agentSetting("baton.agent.fence-after", FENCE_AFTER.toSeconds() + "s")
        .coordinatorSetting("baton.coordinator.failover-after", FAILOVER_AFTER.toSeconds() + "s")
        .start()) {
      MasterRecord master = assertOnePrimaryAllStreaming(lab, Duration.ofSeconds(120));
      KafkaBrokers kafka = lab.kafkaBrokers();
      String heartbeats = lab.topics().heartbeats();
      assertReplicatedOverAllBrokers(lab, heartbeats);
      // The heartbeats' leader, unless it is the controller too: that would add a quorum
      // election to the stall. Any other broker still stalls the heartbeats as a follower.
      int controller = kafka.controller();
      int victim = kafka.awaitLeader(heartbeats, 0, id -> true, Duration.ofSeconds(10));
      if (victim == controller) {
        victim = kafka.brokerIds().stream().filter(id -> id != controller).findFirst().get();
      }

      int eventsBefore = lab.events().size();
      try (WriteProbe probe = ClusterChecks.startProbe(lab)) {
        kafka.kill(victim);
        ClusterChecks.sleep(OBSERVE);
        kafka.restart(victim);

        assertEquals(List.of(), probe.outages(), "the primary kept taking writes");
      }
      assertEquals(master, lab.awaitAllStreaming(Duration.ofSeconds(60)), "the same master");
      List<EventType> events = eventTypes(lab, eventsBefore);
      assertFalse(events.contains(EventType.PRIMARY_LOST), "events: " + events);
      assertFalse(events.contains(EventType.NODE_LOST), "events: " + events);
    }
  }

  private static void assertReplicatedOverAllBrokers(Lab lab, String topic) throws Exception {
    try (Admin admin = admin(lab)) {
      TopicDescription description =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      assertEquals(3, description.partitions().get(0).replicas().size(), topic + " replicas");
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      assertEquals("2", admin.describeConfigs(List.of(resource)).all().get().get(resource)
          .get("min.insync.replicas").value(), topic + " min.insync.replicas");
    }
  }

  private static Admin admin(Lab lab) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, lab.bootstrapServers()));
  }
}
