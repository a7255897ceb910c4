package io.baton.coordinator.topology;

import io.baton.client.kafka.KafkaConnection;
import io.baton.coordinator.cluster.ClusterFloor;
import io.baton.events.Assignment;
import io.baton.events.EventCodec;
import io.baton.events.Goal;
import io.baton.events.MalformedEventException;
import io.baton.events.MasterRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted master and assignments topics to their end at start: for every cluster, the
 * highest epoch and generation already published. A cluster whose state the coordinator does not
 * have (its state store and changelog were lost, or the application id changed) starts above
 * them, so agents and subscribers keep listening to it.
 */
public final class PublishedFloors {
  private static final Logger LOG = LoggerFactory.getLogger(PublishedFloors.class);

  private PublishedFloors() {}

  public static Map<String, ClusterFloor> read(KafkaConnection kafka, Duration timeout) {
    Properties props = kafka.properties();
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, ClusterFloor> floors = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(kafka.topics().master(), kafka.topics().assignments())) {
        for (PartitionInfo info : consumer.partitionsFor(topic, timeout)) {
          partitions.add(new TopicPartition(topic, info.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read " + kafka.topics().master() + " and " + kafka.topics().assignments()
                  + " to their end within " + timeout.toSeconds() + " s");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() != null) {
            floorOf(record, kafka).ifPresent(found -> floors.merge(found.getKey(), found.getValue(), ClusterFloor::max));
          }
        }
      }
    }
    LOG.info("read the published epochs, generations and timelines of {} clusters",
        floors.size());
    return Map.copyOf(floors);
  }

  private static java.util.Optional<Map.Entry<String, ClusterFloor>> floorOf(
      ConsumerRecord<String, byte[]> record, KafkaConnection kafka) {
    try {
      if (record.topic().equals(kafka.topics().master())) {
        MasterRecord master = EventCodec.read(record.value(), MasterRecord.class);
        return java.util.Optional.of(Map.entry(master.cluster(),
            new ClusterFloor(master.epoch(), 0, master.timeline())));
      }
      Assignment assignment = EventCodec.read(record.value(), Assignment.class);
      long timeline = assignment.goal() instanceof Goal.Primary primary
          ? primary.timelineAbove().orElse(-1) + 1
          : 0;
      return java.util.Optional.of(Map.entry(assignment.cluster(),
          new ClusterFloor(assignment.epoch(), assignment.generation(), timeline)));
    } catch (MalformedEventException e) {
      LOG.warn("ignoring an unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
          record.offset(), e.getMessage());
      return java.util.Optional.empty();
    }
  }
}
