package io.baton.testkit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.testkit.process.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One Kafka node in its own JVM: frozen and thawed, killed and restarted, for real. */
class SingleKafkaBrokerIT {
  private static final Duration SHORT = Duration.ofMillis(1500);
  private static KafkaBrokers kafka;

  @BeforeAll
  static void start() {
    long started = System.nanoTime();
    kafka = KafkaBrokers.start(1);
    System.out.printf("1 Kafka node in a child JVM serving after %d ms%n",
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void listensOnLoopbackOnlyWithNodeOne() {
    assertEquals(List.of(1), kafka.brokerIds());
    assertTrue(kafka.bootstrapServers().matches("127\\.0\\.0\\.1:\\d+"), kafka.bootstrapServers());
    assertEquals(1, kafka.controller());
  }

  @Test
  void aPausedBrokerAcknowledgesNothingUntilResumed() throws Exception {
    TestClients.createTopic(kafka.bootstrapServers(), new NewTopic("paused", 1, (short) 1));
    try (KafkaProducer<String, String> producer =
        TestClients.producer(kafka.bootstrapServers(), SHORT)) {
      TestClients.send(producer, new ProducerRecord<>("paused", "before"));

      kafka.pause(1);
      long pausedAt = System.nanoTime();
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> producer.send(new ProducerRecord<>("paused", "during")).get(30, TimeUnit.SECONDS));
      assertInstanceOf(TimeoutException.class, e.getCause());
      System.out.printf("produce to a paused broker failed after %d ms: %s%n",
          Duration.ofNanos(System.nanoTime() - pausedAt).toMillis(), e.getCause());

      kafka.resume(1);
      TestClients.send(producer, new ProducerRecord<>("paused", "after"));
    }
    // The request that timed out usually waited in the frozen broker's socket buffer and was
    // appended when it thawed: a produce that failed with a timeout may still have been written.
    List<String> values =
        TestClients.readValues(kafka.bootstrapServers(), "paused", 3, Duration.ofSeconds(5));
    System.out.println("records after the pause: " + values);
    assertTrue(values.equals(List.of("before", "during", "after"))
        || values.equals(List.of("before", "after")), values.toString());
  }

  @Test
  void aKilledBrokerRestartsWithItsRecords() throws Exception {
    TestClients.createTopic(kafka.bootstrapServers(), new NewTopic("durable", 1, (short) 1));
    List<String> written = IntStream.range(0, 20).mapToObj(i -> "record-" + i).toList();
    try (KafkaProducer<String, String> producer =
        TestClients.producer(kafka.bootstrapServers(), SHORT)) {
      for (String value : written) {
        TestClients.send(producer, new ProducerRecord<>("durable", value));
      }
    }
    Path log = kafka.logFile(1);

    kafka.kill(1);
    assertTrue(Processes.alive().values().stream().noneMatch(name -> name.equals("kafka-1")),
        "the node's JVM is gone: " + Processes.alive());
    long restarting = System.nanoTime();
    kafka.restart(1);
    System.out.printf("1 Kafka node restarted after SIGKILL, serving after %d ms%n",
        Duration.ofNanos(System.nanoTime() - restarting).toMillis());

    assertEquals(written,
        TestClients.readValues(kafka.bootstrapServers(), "durable", 20, Duration.ofSeconds(20)));
    assertTrue(Files.readString(log).lines().count() > 0, "the restart appends to " + log);
  }

  @Test
  void closeRemovesEverything() throws Exception {
    Set<Path> before = directories();
    Set<Long> nodesBefore = nodeProcesses();
    KafkaBrokers other = KafkaBrokers.start(1);
    Set<Long> started = new HashSet<>(nodeProcesses());
    started.removeAll(nodesBefore);
    assertEquals(1, started.size(), "one more node process");
    assertEquals(before.size() + 1, directories().size(), "a data directory while running");

    other.close();

    assertEquals(before, directories());
    assertTrue(started.stream().noneMatch(Processes::isRunning), "still running: " + started);
  }

  private static Set<Long> nodeProcesses() {
    return Processes.alive().entrySet().stream()
        .filter(e -> e.getValue().startsWith("kafka-"))
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  private static Set<Path> directories() throws Exception {
    try (var stream = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return Set.copyOf(stream
          .filter(p -> p.getFileName().toString().startsWith("baton-kafka-brokers-"))
          .toList());
    }
  }
}
