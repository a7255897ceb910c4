package io.baton.lab;

import io.baton.events.ClusterEvent;
import io.baton.events.EventType;
import io.baton.events.Heartbeat;
import io.baton.events.MasterRecord;
import io.baton.testkit.kafka.KafkaBrokers;
import io.baton.testkit.probe.Attempt;
import io.baton.testkit.probe.Outage;
import io.baton.testkit.probe.ProbeResults;
import io.baton.testkit.probe.WriteProbe;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Takes a lab's Kafka away under the benchmark method's client and tells what that did to the
 * cluster: the broker (the lab runs one, in its own JVM: {@link Lab.Builder#kafkaBrokers(int)})
 * paused with SIGSTOP for a while, or stopped and restarted. Used by the system test that proves
 * Kafka pauses cost no failover and the benchmark that measures them.
 *
 * <p>Each outage starts on a healthy cluster with a fresh client, and ends once the client writes
 * again, the cluster has been watched for longer than {@code failover-after} after Kafka came back
 * (so a node the coordinator counted silent would have been declared lost by then), and the
 * cluster is healthy again. The lab runs at the default heartbeat interval.
 */
public final class KafkaOutages {
  /** The agents' default: pauses are placed within this interval. */
  private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  /** Longer than the default failover-after (5 s). */
  private static final Duration WATCH_AFTER_RETURN = Duration.ofSeconds(7);
  private static final Duration RENEWAL_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration WRITES_TIMEOUT = Duration.ofSeconds(30);

  private KafkaOutages() {}

  /** How Kafka goes away. */
  public sealed interface KafkaOutage {
    String label();

    /** SIGSTOP of the broker's JVM for {@code length}, then SIGCONT. */
    record Pause(Duration length) implements KafkaOutage {
      @Override
      public String label() {
        return "paused " + (length.toMillisPart() == 0 ? length.toSeconds() + " s"
            : length.toMillis() + " ms");
      }
    }

    /** SIGTERM (Kafka's controlled shutdown), then a new JVM on the same data. */
    record Restart() implements KafkaOutage {
      @Override
      public String label() {
        return "restarted";
      }
    }
  }

  /** When, within the primary's heartbeat interval, Kafka goes away. */
  public enum Phase {
    /**
     * {@value #BEFORE_NEXT_HEARTBEAT_MILLIS} ms before the primary's next heartbeat is due, by the
     * sending time of its latest: the worst phase for its lease, which then runs out fence-after
     * minus 0.9 s into the outage (2.6 s at the default 3.5 s).
     */
    BEFORE_NEXT_HEARTBEAT,
    /** Anywhere in the interval, uniformly: what an operator meets. */
    RANDOM;

    static final long BEFORE_NEXT_HEARTBEAT_MILLIS = 100;
  }

  /**
   * What one outage did.
   *
   * @param kafkaAway from SIGSTOP to SIGCONT, or from SIGTERM to the restarted broker serving
   * @param longestWrite the longest write attempt that ended after Kafka went away
   * @param clientOutage the client's longest write outage that ended after Kafka went away
   * @param failedWrites the client's failed attempts in those outages
   * @param writesResumed Kafka's return to the end of the client's outage, when one ended later
   * @param fenced whether the primary fenced itself: a heartbeat of it says so, or it was renewed
   * @param renewed whether the coordinator renewed the fenced primary's role
   * @param lost {@code primary-lost} and {@code node-lost} events, in order
   * @param newMasterRecords master records of the cluster published meanwhile
   */
  public record Outcome(
      KafkaOutage outage,
      MasterRecord before,
      MasterRecord after,
      Duration kafkaAway,
      Duration longestWrite,
      Duration clientOutage,
      int failedWrites,
      Optional<Duration> writesResumed,
      boolean fenced,
      boolean renewed,
      List<EventType> lost,
      long newMasterRecords) {

    public Outcome {
      lost = List.copyOf(lost);
    }

    /** A primary declared lost, or a master record published: the coordinator failed over. */
    public boolean failover() {
      return lost.contains(EventType.PRIMARY_LOST) || newMasterRecords > 0;
    }

    public boolean sameMaster() {
      return after.equals(before);
    }
  }

  /** Takes Kafka away once, as described above, and returns what happened. */
  public static Outcome inflict(Lab lab, KafkaOutage outage, Phase phase) throws SQLException {
    MasterRecord before = ClusterChecks.awaitHealthy(lab);
    KafkaBrokers kafka = lab.kafkaBrokers();
    int broker = kafka.brokerIds().get(0);
    int eventsFrom = lab.events().size();
    int mastersFrom = lab.masters().size();
    int heartbeatsFrom = lab.heartbeats().size();
    long awayAt;
    long backAt;
    ProbeResults written;
    try (WriteProbe client = ClusterChecks.startProbe(lab)) {
      awaitPhase(lab, before.node(), phase);
      awayAt = System.nanoTime();
      if (outage instanceof KafkaOutage.Pause pause) {
        kafka.pause(broker);
        sleepUntil(awayAt + pause.length().toNanos());
        backAt = System.nanoTime();
        kafka.resume(broker);
      } else {
        kafka.stop(broker);
        kafka.restart(broker);
        backAt = System.nanoTime();
      }
      sleepUntil(backAt + WATCH_AFTER_RETURN.toNanos());
      if (fenced(lab, heartbeatsFrom, before.node())) {
        // Renewed, or failed over: whichever it is, the outcome tells.
        lab.events().await(eventsFrom, e -> e.cluster().equals(lab.cluster())
            && (e.type() == EventType.PRIMARY_LOST || e.type() == EventType.PRIMARY_RENEWED
                && e.node().equals(Optional.of(before.node()))), RENEWAL_TIMEOUT);
      }
      ClusterChecks.awaitWritesAfter(client, backAt, WRITES_TIMEOUT);
      client.close();
      written = client.results();
    }
    MasterRecord after = ClusterChecks.awaitHealthy(lab);
    List<ClusterEvent> events = since(lab.events().values(), eventsFrom).stream()
        .filter(e -> e.cluster().equals(lab.cluster())).toList();
    List<Outage> outages = written.outages().stream()
        .filter(o -> o.endNanos() - awayAt > 0).toList();
    boolean renewed = events.stream().anyMatch(e -> e.type() == EventType.PRIMARY_RENEWED
        && e.node().equals(Optional.of(before.node())));
    return new Outcome(
        outage,
        before,
        after,
        Duration.ofNanos(backAt - awayAt),
        written.attempts().stream().filter(a -> a.endNanos() - awayAt > 0)
            .map(Attempt::duration).max(Comparator.naturalOrder()).orElse(Duration.ZERO),
        outages.stream().map(Outage::duration).max(Comparator.naturalOrder())
            .orElse(Duration.ZERO),
        outages.stream().mapToInt(Outage::failedAttempts).sum(),
        outages.stream().filter(o -> o.endNanos() - backAt > 0)
            .map(o -> Duration.ofNanos(o.endNanos() - backAt)).max(Comparator.naturalOrder()),
        renewed || fenced(lab, heartbeatsFrom, before.node()),
        renewed,
        events.stream().map(ClusterEvent::type)
            .filter(t -> t == EventType.PRIMARY_LOST || t == EventType.NODE_LOST).toList(),
        since(lab.masters().values(), mastersFrom).stream()
            .filter(m -> m.cluster().equals(lab.cluster())).count());
  }

  private static boolean fenced(Lab lab, int heartbeatsFrom, String primary) {
    return since(lab.heartbeats().values(), heartbeatsFrom).stream()
        .anyMatch(h -> h.cluster().equals(lab.cluster()) && h.node().equals(primary)
            && h.agent().fenced());
  }

  private static void awaitPhase(Lab lab, String primary, Phase phase) {
    switch (phase) {
      case RANDOM -> ClusterChecks.sleep(Duration.ofMillis(
          ThreadLocalRandom.current().nextLong(HEARTBEAT_INTERVAL.toMillis())));
      case BEFORE_NEXT_HEARTBEAT -> awaitBeforeNextHeartbeat(lab, primary);
    }
  }

  private static void awaitBeforeNextHeartbeat(Lab lab, String primary) {
    while (true) {
      Heartbeat latest = lab.heartbeats()
          .await(lab.heartbeats().size(),
              h -> h.cluster().equals(lab.cluster()) && h.node().equals(primary),
              Duration.ofSeconds(10))
          .orElseThrow(() -> new IllegalStateException("no heartbeat of " + primary
              + " within 10 s"))
          .value();
      Duration wait = Duration.between(Instant.now(), latest.sentAt().plus(HEARTBEAT_INTERVAL)
          .minusMillis(Phase.BEFORE_NEXT_HEARTBEAT_MILLIS));
      // Read too late to place this one: place the next.
      if (!wait.isNegative()) {
        sleepUntil(System.nanoTime() + wait.toNanos());
        return;
      }
    }
  }

  private static <T> List<T> since(List<T> all, int from) {
    return all.subList(from, all.size());
  }

  private static void sleepUntil(long nanos) {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      ClusterChecks.sleep(Duration.ofNanos(left));
    }
  }
}
