package io.baton.coordinator.topology;

import io.baton.events.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Baton's topics when they are missing and refuses to start on topics that would break
 * its guarantees: a master, assignments or enrollments topic that is not compacted (the latest
 * record per key would eventually be deleted), heartbeats or requests without broker append time (failure
 * detection runs in broker time), or heartbeats and requests with different partition counts (one
 * cluster's inputs must meet in one task).
 */
public final class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /**
   * @param replicationFactor empty: the number of brokers, at most 3
   */
  public record Spec(
      int partitions,
      Optional<Short> replicationFactor,
      Duration heartbeatRetention,
      Duration requestRetention,
      Duration eventsRetention) {}

  /** A topic that exists but cannot be used, or a cluster that cannot be reached. */
  public static final class TopicSetupException extends RuntimeException {
    public TopicSetupException(String message) {
      super(message);
    }

    public TopicSetupException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private TopicSetup() {}

  /** Ensures every topic exists and is usable; returns the partition count of the heartbeats. */
  public static int ensure(Admin admin, TopicNames topics, Spec spec) {
    short replication = spec.replicationFactor().orElseGet(() -> defaultReplication(admin));
    // An acknowledged heartbeat extends the primary's lease: it must survive the loss of the
    // broker that acknowledged it, or the coordinator could see a gap the agent never saw.
    String minInsync = Integer.toString(Math.min(2, replication));
    Map<String, Map<String, String>> wanted =
        Map.of(
            topics.heartbeats(),
                Map.of(
                    "cleanup.policy", "delete",
                    "message.timestamp.type", "LogAppendTime",
                    "retention.ms", millis(spec.heartbeatRetention()),
                    "min.insync.replicas", minInsync),
            topics.requests(),
                Map.of(
                    "cleanup.policy", "delete",
                    "message.timestamp.type", "LogAppendTime",
                    "retention.ms", millis(spec.requestRetention()),
                    "min.insync.replicas", minInsync),
            topics.assignments(), Map.of("cleanup.policy", "compact", "min.insync.replicas", minInsync),
            // Compacted: a node's enrollment must outlive any retention, or it would be refused.
            topics.enrollments(),
                Map.of("cleanup.policy", "compact", "min.insync.replicas", minInsync),
            // Broker time on master records: subscribers measure their delay from the append.
            topics.master(),
                Map.of(
                    "cleanup.policy", "compact",
                    "message.timestamp.type", "LogAppendTime",
                    "min.insync.replicas", minInsync),
            topics.events(),
                Map.of(
                    "cleanup.policy", "delete",
                    "retention.ms", millis(spec.eventsRetention()),
                    "min.insync.replicas", minInsync),
            topics.deadLetters(),
                Map.of(
                    "cleanup.policy", "delete",
                    "retention.ms", millis(spec.eventsRetention()),
                    "min.insync.replicas", minInsync));
    Set<String> existing = await(admin.listTopics().names(), "list topics");
    List<NewTopic> missing = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> topic : wanted.entrySet()) {
      if (!existing.contains(topic.getKey())) {
        missing.add(new NewTopic(topic.getKey(), spec.partitions(), replication).configs(topic.getValue()));
      }
    }
    if (!missing.isEmpty()) {
      try {
        await(admin.createTopics(missing).all(), "create topics");
      } catch (TopicSetupException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
    }
    check(admin, topics);
    return partitions(admin, topics.heartbeats());
  }

  private static void check(Admin admin, TopicNames topics) {
    List<ConfigResource> resources =
        topics.all().stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> configs = describeWhenVisible(admin, resources);
    List<String> problems = new ArrayList<>();
    for (String compacted :
        List.of(topics.master(), topics.assignments(), topics.enrollments())) {
      String policy = value(configs, compacted, "cleanup.policy");
      if (!policy.contains("compact")) {
        problems.add(
            "topic " + compacted + " has cleanup.policy=" + policy + " but must be compacted: fix it with"
                + " kafka-configs --alter --entity-type topics --entity-name " + compacted
                + " --add-config cleanup.policy=compact");
      }
    }
    for (String brokerTimed : List.of(topics.heartbeats(), topics.requests())) {
      String type = value(configs, brokerTimed, "message.timestamp.type");
      if (!type.equals("LogAppendTime")) {
        problems.add(
            "topic " + brokerTimed + " has message.timestamp.type=" + type + " but failure detection"
                + " needs the broker's append time: kafka-configs --alter --entity-type topics"
                + " --entity-name " + brokerTimed + " --add-config message.timestamp.type=LogAppendTime");
      }
    }
    // The lease argument needs an acknowledged heartbeat to survive the loss of the broker that
    // acknowledged it, and no out-of-sync replica ever to become leader (it would lose appended
    // heartbeats and decisions).
    for (String topic : topics.all()) {
      int replicas = replicationFactor(admin, topic);
      int needed = Math.min(2, replicas);
      String minInsync = value(configs, topic, "min.insync.replicas");
      if (parse(minInsync) < needed) {
        problems.add(
            "topic " + topic + " has min.insync.replicas=" + minInsync + " with replication factor "
                + replicas + ": an acknowledged heartbeat or decision could be lost with one broker;"
                + " kafka-configs --alter --entity-type topics --entity-name " + topic
                + " --add-config min.insync.replicas=" + needed);
      }
      if (value(configs, topic, "unclean.leader.election.enable").equals("true")) {
        problems.add(
            "topic " + topic + " has unclean.leader.election.enable=true: an out-of-sync replica"
                + " could become leader and lose acknowledged records; kafka-configs --alter"
                + " --entity-type topics --entity-name " + topic
                + " --add-config unclean.leader.election.enable=false");
      }
    }
    int heartbeatPartitions = partitions(admin, topics.heartbeats());
    int requestPartitions = partitions(admin, topics.requests());
    if (heartbeatPartitions != requestPartitions) {
      problems.add(
          "topics " + topics.heartbeats() + " (" + heartbeatPartitions + " partitions) and "
              + topics.requests() + " (" + requestPartitions + ") must have the same number of"
              + " partitions, so that a cluster's heartbeats and requests meet in one task");
    }
    if (!problems.isEmpty()) {
      throw new TopicSetupException("refusing to start: " + String.join("; ", problems));
    }
  }

  /** Topics just created reach every broker's metadata a moment later. */
  private static Map<ConfigResource, Config> describeWhenVisible(
      Admin admin, List<ConfigResource> resources) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try {
        return await(admin.describeConfigs(resources).all(), "describe topics");
      } catch (TopicSetupException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static String value(Map<ConfigResource, Config> configs, String topic, String key) {
    Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic));
    return config == null || config.get(key) == null ? "(unset)" : config.get(key).value();
  }

  private static int parse(String number) {
    try {
      return Integer.parseInt(number);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int replicationFactor(Admin admin, String topic) {
    Map<String, TopicDescription> described =
        await(admin.describeTopics(List.of(topic)).allTopicNames(), "describe " + topic);
    return described.get(topic).partitions().get(0).replicas().size();
  }

  private static int partitions(Admin admin, String topic) {
    Map<String, TopicDescription> described =
        await(admin.describeTopics(List.of(topic)).allTopicNames(), "describe " + topic);
    return described.get(topic).partitions().size();
  }

  private static short defaultReplication(Admin admin) {
    Collection<?> brokers = await(admin.describeCluster().nodes(), "describe the Kafka cluster");
    return (short) Math.max(1, Math.min(3, brokers.size()));
  }

  private static String millis(Duration duration) {
    return Long.toString(duration.toMillis());
  }

  private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicSetupException("interrupted while trying to " + what, e);
    } catch (ExecutionException e) {
      throw new TopicSetupException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new TopicSetupException(
          "could not " + what + " within " + TIMEOUT.toSeconds() + " s: is Kafka reachable?", e);
    }
  }
}
