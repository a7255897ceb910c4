package io.baton.client;

import static io.baton.client.MasterBookTest.master;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.events.EventCodec;
import io.baton.events.MasterRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** {@link MasterFollower} against a real broker (testkit's embedded KRaft broker). */
class MasterFollowerIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final class Recorder implements MasterListener {
    final BlockingQueue<MasterChange> changes = new LinkedBlockingQueue<>();

    @Override
    public void onMasterChange(java.util.Optional<MasterRecord> previous, MasterRecord current,
        Instant publishedAt) {
      changes.add(new MasterChange(previous, current, publishedAt));
    }

    MasterChange next() throws InterruptedException {
      MasterChange change = changes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (change == null) {
        throw new AssertionError("no listener call within " + WAIT);
      }
      return change;
    }
  }

  @Test
  void readsEveryPartitionToTheEndThenTellsListenersOnlyNewerEpochs() throws Exception {
    try (MasterTopic topic = new MasterTopic(3)) {
      topic.publish(master("orders", 1, "n1", 5432));
      topic.publish(master("orders", 2, "n2", 5433));
      for (String cluster : List.of("billing", "search", "users")) {
        topic.publish(master(cluster, 4, "a1", 6000));
      }
      String group = "it-group-" + UUID.randomUUID();
      Recorder recorder = new Recorder();
      try (MasterFollower follower = new MasterFollower(topic.options().groupId(group).build())) {
        follower.addListener(recorder);
        follower.start();
        assertTrue(follower.awaitReady(WAIT), "not ready: " + follower.problem());

        assertEquals(Set.of("orders", "billing", "search", "users"), follower.all().keySet());
        assertEquals("n2", follower.current("orders").orElseThrow().node());
        assertEquals("jdbc:postgresql://127.0.0.1:5433/app", follower.jdbcUrl("orders", "app"));
        assertEquals("jdbc:postgresql://127.0.0.1:5433/my%20db?connectTimeout=2&sslmode=disable",
            follower.jdbcUrl("orders", "my db", Map.of("sslmode", "disable",
                "connectTimeout", "2")));
        awaitTrue(() -> follower.lag().equals(OptionalLong.of(0)), "lag 0: " + follower.lag());
        for (int i = 0; i < 4; i++) {
          MasterChange initial = recorder.next();
          assertTrue(initial.previous().isEmpty(), initial.toString());
        }

        topic.publish(master("orders", 1, "n1", 5432));
        topic.publish(master("orders", 2, "n9", 5439));
        RecordMetadata published = topic.publish(master("orders", 3, "n3", 5434));
        MasterChange change = recorder.next();
        assertEquals(3, change.current().epoch(), "stale epochs 1 and 2 were skipped");
        assertEquals("n2", change.previous().orElseThrow().node());
        assertEquals(Instant.ofEpochMilli(published.timestamp()), change.publishedAt());
        assertEquals(OptionalLong.of(3), follower.lastAppliedEpoch("orders"));

        topic.publishRaw("orders", "{\"version\":1,\"cluster\":\"orders\"}"
            .getBytes(StandardCharsets.UTF_8));
        topic.publish(master("orders", 4, "n4", 5435));
        assertEquals(4, recorder.next().current().epoch());
        assertEquals(1, follower.malformedRecords());
        assertTrue(recorder.changes.isEmpty(), "unexpected calls: " + recorder.changes);

        Map<TopicPartition, Long> ends = topic.admin.listOffsets(Map.of(
            new TopicPartition(topic.name, 0), OffsetSpec.latest(),
            new TopicPartition(topic.name, 1), OffsetSpec.latest(),
            new TopicPartition(topic.name, 2), OffsetSpec.latest())).all().get().entrySet()
            .stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().offset()));
        awaitTrue(() -> committedOffsets(topic, group).equals(ends),
            "the group's committed offsets reach the end offsets " + ends);
      }
    }
  }

  /**
   * A host that would add URL parameters is refused with its record: the JDBC URL keeps
   * pointing at the last good master, with the application's own settings, and the next good
   * record applies.
   */
  @Test
  void aHostThatWouldRewriteTheJdbcUrlIsRefusedAndTheNextGoodRecordApplies() throws Exception {
    try (MasterTopic topic = new MasterTopic(1)) {
      topic.publish(master("orders", 1, "n1", 5432));
      Recorder recorder = new Recorder();
      try (MasterFollower follower = new MasterFollower(topic.options().build())) {
        follower.addListener(recorder);
        follower.start();
        assertTrue(follower.awaitReady(WAIT), "not ready: " + follower.problem());
        assertEquals(1, recorder.next().current().epoch());

        topic.publishRaw("orders", EventCodec.writeString(master("orders", 2, "n2", 5433))
            .replace("\"host\":\"127.0.0.1\"", "\"host\":\"db/app?sslmode=disable&x=\"")
            .getBytes(StandardCharsets.UTF_8));
        topic.publish(master("orders", 3, "n3", 5434));

        assertEquals(3, recorder.next().current().epoch(), "epoch 2 was not applied");
        assertEquals(1, follower.malformedRecords());
        String url = follower.jdbcUrl("orders", "app", Map.of("sslmode", "verify-full"));
        assertEquals("jdbc:postgresql://127.0.0.1:5434/app?sslmode=verify-full", url);
        Properties parsed = org.postgresql.Driver.parseURL(url, new Properties());
        assertEquals("verify-full", parsed.getProperty("sslmode"));
        assertEquals("127.0.0.1", parsed.getProperty("PGHOST"));
      }
    }
  }

  private static Map<TopicPartition, Long> committedOffsets(MasterTopic topic, String group) {
    try {
      return topic.admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
          .entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
              e -> e.getValue().offset()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void twoFollowersSharingAGroupEachSeeEveryCluster() throws Exception {
    try (MasterTopic topic = new MasterTopic(4)) {
      for (String cluster : List.of("a", "b", "c", "d", "e", "f")) {
        topic.publish(master(cluster, 1, "n1", 5432));
      }
      try (MasterFollower one = new MasterFollower(topic.options().groupId("shared").clientId("one")
              .build());
          MasterFollower two = new MasterFollower(topic.options().groupId("shared")
              .clientId("two").build())) {
        one.start();
        two.start();
        assertTrue(one.awaitReady(WAIT) && two.awaitReady(WAIT));
        assertEquals(6, one.all().size());
        assertEquals(one.all(), two.all());
      }
    }
  }

  @Test
  void aListenerAddedWhenReadyGetsTheCurrentMastersFirst() throws Exception {
    try (MasterTopic topic = new MasterTopic(1)) {
      topic.publish(master("orders", 5, "n2", 5433));
      try (MasterFollower follower = new MasterFollower(topic.options().build())) {
        follower.start();
        assertTrue(follower.awaitReady(WAIT));
        Recorder late = new Recorder();
        follower.addListener(late);
        MasterChange first = late.next();
        assertEquals(5, first.current().epoch());
        assertTrue(first.previous().isEmpty());
        topic.publish(master("orders", 6, "n1", 5432));
        assertEquals(6, late.next().current().epoch());
      }
    }
  }

  @Test
  void aMissingTopicIsReportedClearlyAndFollowedOnceCreated() throws Exception {
    try (MasterTopic existing = new MasterTopic(1)) {
      String missing = "it-" + UUID.randomUUID() + ".master";
      try (MasterFollower follower = new MasterFollower(
          FollowerOptions.builder(existing.bootstrap).masterTopic(missing).build())) {
        follower.start();
        assertFalse(follower.awaitReady(Duration.ofSeconds(2)));
        NoMasterException error = assertThrows(NoMasterException.class,
            () -> follower.jdbcUrl("orders", "app"));
        assertTrue(error.getMessage().contains("'" + missing + "' does not exist")
            && error.getMessage().contains("start the Baton coordinator"), error.getMessage());

        MasterTopic.create(existing.admin, missing, 1);
        try (KafkaProducer<byte[], byte[]> producer =
            MasterTopic.producer(existing.bootstrap, new Properties())) {
          producer.send(new ProducerRecord<>(missing, "orders".getBytes(StandardCharsets.UTF_8),
              io.baton.events.EventCodec.write(master("orders", 1, "n1", 5432)))).get();
        }
        assertTrue(follower.awaitReady(WAIT), "ready once the topic exists");
        awaitTrue(() -> follower.current("orders").isPresent(), "orders known");
      }
    }
  }

  @Test
  void transactionalRecordsAreReadAndAbortedOnesIgnored() throws Exception {
    try (MasterTopic topic = new MasterTopic(1)) {
      Properties transactional = new Properties();
      transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-" + UUID.randomUUID());
      try (KafkaProducer<byte[], byte[]> producer =
          MasterTopic.producer(topic.bootstrap, transactional)) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(record(topic, master("orders", 1, "n1", 5432)));
        producer.commitTransaction();
        producer.beginTransaction();
        producer.send(record(topic, master("orders", 2, "n2", 5433)));
        producer.flush();
        producer.abortTransaction();
        try (MasterFollower follower = new MasterFollower(topic.options().build())) {
          follower.start();
          // The log ends with commit/abort markers, which no record ever reaches.
          assertTrue(follower.awaitReady(WAIT), "ready despite the markers at the end");
          assertEquals(1, follower.current("orders").orElseThrow().epoch(),
              "the aborted epoch 2 is not applied");
        }
      }
    }
  }

  private static ProducerRecord<byte[], byte[]> record(MasterTopic topic, MasterRecord master) {
    return new ProducerRecord<>(topic.name, master.cluster().getBytes(StandardCharsets.UTF_8),
        io.baton.events.EventCodec.write(master));
  }

  static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(20);
    }
  }
}
