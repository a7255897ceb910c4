package io.baton.benchmark.scenarios;

import io.baton.benchmark.LabKind;
import io.baton.benchmark.Metric;
import io.baton.benchmark.RunResult;
import io.baton.benchmark.Target;
import io.baton.lab.KafkaOutages;
import io.baton.lab.KafkaOutages.KafkaOutage;
import io.baton.lab.KafkaOutages.Outcome;
import io.baton.lab.KafkaOutages.Phase;
import io.baton.lab.Lab;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Kafka going away under the method's client (KafkaPausesIT): the lab's one broker, in its own
 * JVM, paused with SIGSTOP for a while or stopped and restarted, at a random phase of the
 * heartbeat interval ({@link KafkaOutages}). A run measures the client's write outage and longest
 * write, whether the primary fenced, whether the coordinator failed over, and how long after
 * Kafka came back the client wrote again; it ends with the cluster healthy.
 *
 * @param outage what is done to Kafka
 */
record KafkaOutageScenario(String name, String description, KafkaOutage outage,
    List<Target> targets) implements Scenario {
  static final String FAMILY = "kafka-pause";

  /** A pause of {@code seconds}: no failover ever; no fence either up to {@code noFenceUpTo}. */
  static KafkaOutageScenario pause(int seconds, int noFenceUpTo) {
    List<Target> targets = seconds <= noFenceUpTo
        ? List.of(Target.max(Metric.FAILOVER, 0), Target.max(Metric.FENCED, 0))
        : List.of(Target.max(Metric.FAILOVER, 0));
    return new KafkaOutageScenario(FAMILY + "-" + seconds + "s",
        "the Kafka broker's JVM paused (SIGSTOP) for " + seconds + " s, at a random heartbeat"
            + " phase", new KafkaOutage.Pause(Duration.ofSeconds(seconds)), targets);
  }

  static KafkaOutageScenario restart() {
    return new KafkaOutageScenario("kafka-restart",
        "the Kafka broker stopped (SIGTERM, controlled shutdown) and started again",
        new KafkaOutage.Restart(), List.of(Target.max(Metric.FAILOVER, 0)));
  }

  @Override
  public Optional<String> family() {
    return Optional.of(FAMILY);
  }

  @Override
  public Group group() {
    return Group.KAFKA;
  }

  @Override
  public LabKind labKind() {
    return LabKind.KAFKA_BROKER;
  }

  /** Four phases each: a run takes about 15 s, so the five outages take about 5 minutes. */
  @Override
  public int defaultRuns() {
    return 4;
  }

  @Override
  public int quickRuns() {
    return 1;
  }

  @Override
  public Session open(Lab lab) {
    return run -> measure(lab, run);
  }

  private RunResult measure(Lab lab, int run) throws Exception {
    Outcome outcome = KafkaOutages.inflict(lab, outage, Phase.RANDOM);
    RunResult.Builder result = RunResult.builder(run)
        .duration(Metric.KAFKA_AWAY, outcome.kafkaAway())
        .duration(Metric.OUTAGE, outcome.clientOutage())
        .duration(Metric.LONGEST_WRITE, outcome.longestWrite())
        .count(Metric.FENCED, outcome.fenced() ? 1 : 0)
        .count(Metric.FAILOVER, outcome.failover() ? 1 : 0);
    outcome.writesResumed().ifPresent(d -> result.duration(Metric.WRITES_RESUMED, d));
    if (outcome.fenced() && !outcome.renewed()) {
      result.note("the primary fenced and was not renewed");
    }
    if (!outcome.lost().isEmpty()) {
      result.note("declared lost: " + outcome.lost());
    }
    if (!outcome.sameMaster()) {
      result.note("the master changed to " + outcome.after().node() + " (epoch "
          + outcome.after().epoch() + ")");
    }
    return result.build();
  }
}
