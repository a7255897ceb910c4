package io.baton.benchmark.scenarios;

import io.baton.lab.ClusterChecks;
import io.baton.benchmark.LabKind;
import io.baton.benchmark.Metric;
import io.baton.benchmark.RunResult;
import io.baton.benchmark.Target;
import io.baton.client.operator.RequestClient;
import io.baton.events.MasterRecord;
import io.baton.lab.Lab;
import io.baton.testkit.probe.Attempt;
import io.baton.testkit.probe.Outage;
import io.baton.testkit.probe.ProbeResults;
import io.baton.testkit.probe.WriteProbe;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Switchovers in a row under one continuous client (SwitchoverIT), each to the next node in turn
 * so every node takes the primary role. A run is one switchover: the request is sent as the CLI
 * sends it, the handover lasts until the coordinator answers it completed, and the run ends when
 * the cluster is healthy again, ready for the next one.
 */
record SwitchoverScenario(String name, String description, LabKind labKind) implements Scenario {
  private static final Duration WRITES_TIMEOUT = Duration.ofSeconds(30);

  @Override
  public Group group() {
    return Group.SWITCHOVER;
  }

  /** Twenty in a row: a switchover takes seconds, and the maximum needs many of them. */
  @Override
  public int defaultRuns() {
    return 20;
  }

  /** Each of the three nodes takes its turn once. */
  @Override
  public int quickRuns() {
    return 3;
  }

  @Override
  public List<Target> targets() {
    return List.of(
        Target.median(Metric.OUTAGE, 1_000),
        Target.max(Metric.OUTAGE, 2_000),
        Target.max(Metric.HANDOVER, 10_000),
        Target.max(Metric.LOST_WRITES, 0));
  }

  @Override
  public Session open(Lab lab) throws Exception {
    ClusterChecks.awaitHealthy(lab);
    RequestClient requests = lab.requests();
    WriteProbe client;
    try {
      client = ClusterChecks.startProbe(lab);
    } catch (Exception | Error e) {
      requests.close();
      throw e;
    }
    return new Session() {
      @Override
      public RunResult run(int run) throws Exception {
        return switchover(lab, requests, client, run);
      }

      @Override
      public void close() {
        client.close();
        requests.close();
      }
    };
  }

  private static RunResult switchover(Lab lab, RequestClient requests, WriteProbe client, int run)
      throws Exception {
    MasterRecord before = ClusterChecks.awaitHealthy(lab);
    String target = ClusterChecks.nextInTurn(lab, before.node());
    RunResult.Builder result = RunResult.builder(run);
    Switchovers.Handover handover = Switchovers.to(lab, requests, target);
    long requested = handover.requestedNanos();
    result.duration(Metric.HANDOVER, handover.duration());
    handover.refusals().forEach(why -> result.note("refused first, asked again: " + why));
    ClusterChecks.awaitWritesAfter(client, handover.answeredNanos(), WRITES_TIMEOUT);
    MasterRecord after = ClusterChecks.awaitHealthy(lab);
    if (!after.node().equals(target)) {
      result.note("the primary is " + after.node() + ", not the target " + target);
    }
    ProbeResults written = client.results();
    List<Outage> outages = written.outages().stream()
        .filter(o -> o.endNanos() - requested > 0).toList();
    result.duration(Metric.OUTAGE, outages.stream().map(Outage::duration)
        .max(Comparator.naturalOrder()).orElse(Duration.ZERO));
    if (outages.size() > 1) {
      result.note(outages.size() + " outages in one switchover; the longest counts");
    }
    result.duration(Metric.LONGEST_WRITE, written.attempts().stream()
        .filter(a -> a.endNanos() - requested >= 0).map(Attempt::duration)
        .max(Comparator.naturalOrder()).orElse(Duration.ZERO));
    // Every write acknowledged so far, on the new primary: a switchover may lose none.
    result.count(Metric.LOST_WRITES, ClusterChecks.lostWrites(lab, written).size());
    return result.build();
  }
}
