package io.baton.benchmark.scenarios;

import io.baton.lab.ClusterChecks;
import io.baton.benchmark.LabKind;
import io.baton.benchmark.Target;
import io.baton.benchmark.Metric;
import io.baton.benchmark.Moment;
import io.baton.benchmark.RunResult;
import io.baton.events.ClusterEvent;
import io.baton.events.EventType;
import io.baton.events.MasterRecord;
import io.baton.lab.Lab;
import io.baton.lab.TopicTail;
import io.baton.testkit.netns.Namespace;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.probe.Attempt;
import io.baton.testkit.probe.Outage;
import io.baton.testkit.probe.ProbeResults;
import io.baton.testkit.probe.WriteProbe;
import io.baton.testkit.process.Signal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fault under the method's client, as FailoverIT, PartitionIT and SynchronousReplicationIT
 * inject it: from a healthy cluster, with the client writing every 10 ms through the multi-host
 * URL (and, for a fault on the primary, a second writer straight to the old primary), the fault is
 * injected after a random delay; the run measures until the client writes again, checks lost
 * writes on the new primary before the dead node comes back, undoes the fault and waits until the
 * cluster is healthy again.
 *
 * <p>Clocks: probe attempts carry CLOCK_MONOTONIC stamps, compared directly with the fault's.
 * Records carry broker times (CLOCK_REALTIME of this machine, the broker running in this JVM):
 * a master record its own append time, an event the append time of the heartbeat, tick or request
 * the coordinator decided on; they are compared with the fault's wall-clock time.
 *
 * @param victim which node the fault hits
 * @param fault what is done to it
 * @param defaultRuns eight by default: more than the method's minimum of five, and well inside
 *     the time budget
 */
record FaultScenario(
    String name,
    String description,
    LabKind labKind,
    Victim victim,
    Fault fault,
    int defaultRuns,
    List<Target> targets) implements Scenario {
  private static final int RUNS = 8;
  /** The agents' default heartbeat interval: the random delay spans one loop. */
  private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  /**
   * How long both writers go on after the client wrote again (as PartitionIT and
   * SynchronousReplicationIT wait): a commit the old primary acknowledged late would show as
   * overlap, a commit hanging a little later as the longest write.
   */
  private static final Duration GRACE = Duration.ofSeconds(2);
  private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration WRITES_TIMEOUT = Duration.ofSeconds(30);


  FaultScenario(String name, String description, LabKind labKind, Victim victim, Fault fault,
      List<Target> targets) {
    this(name, description, labKind, victim, fault, RUNS, targets);
  }

  /** Which node a fault hits, chosen on the healthy cluster before each run. */
  enum Victim {
    PRIMARY,
    /** The standbys take turns. */
    STANDBY_IN_TURN,
    /** The standby the primary waits for in synchronous mode. */
    SYNCHRONOUS_STANDBY
  }

  /** What is done to the victim, and how it is undone after the measurement. */
  enum Fault {
    /** The postmaster and its children SIGKILLed; the agent lives and brings the node back. */
    POSTMASTER_KILL {
      @Override
      void inject(Lab lab, String node) {
        lab.postgres().killPostmaster(lab.postgres().node(node));
      }

      @Override
      void recover(Lab lab, String node) {}
    },
    /** Agent and postmaster SIGKILLed at once; the agent is restarted afterwards. */
    NODE_LOSS {
      @Override
      void inject(Lab lab, String node) {
        lab.agent(node).signal(Signal.KILL);
        lab.postgres().killPostmaster(lab.postgres().node(node));
      }

      @Override
      void recover(Lab lab, String node) {
        lab.startAgent(node);
      }
    },
    /** The agent SIGSTOPped with PostgreSQL running, like a hung manager; SIGCONT after. */
    AGENT_FREEZE {
      @Override
      void inject(Lab lab, String node) {
        lab.agent(node).signal(Signal.STOP);
      }

      @Override
      void recover(Lab lab, String node) {
        lab.agent(node).signal(Signal.CONT);
      }
    },
    /** The node's network namespace (agent and PostgreSQL) cut off, healed after. */
    NETWORK_CUT {
      @Override
      void inject(Lab lab, String node) {
        lab.network().orElseThrow().cut(namespaceOf(lab, node));
      }

      @Override
      void recover(Lab lab, String node) {
        lab.network().orElseThrow().heal(namespaceOf(lab, node));
      }

      /** Inside the cut-off namespace: it sees what the old primary's own clients see. */
      @Override
      OldPrimaryWriter oldPrimaryWriter(Lab lab, PostgresNode primary) {
        return OldPrimaryWriter.inNamespace(lab, primary, namespaceOf(lab, primary.name()));
      }
    };

    abstract void inject(Lab lab, String node);

    abstract void recover(Lab lab, String node);

    OldPrimaryWriter oldPrimaryWriter(Lab lab, PostgresNode primary) {
      return OldPrimaryWriter.inProcess(lab, primary);
    }

    private static Namespace namespaceOf(Lab lab, String node) {
      String name = lab.postgres().node(node).namespace().orElseThrow();
      return lab.network().orElseThrow().namespaces().stream()
          .filter(ns -> ns.name().equals(name)).findFirst().orElseThrow();
    }
  }

  @Override
  public Group group() {
    return Group.FAILOVER;
  }

  @Override
  public int quickRuns() {
    return 2;
  }

  private boolean hitsPrimary() {
    return victim == Victim.PRIMARY;
  }

  @Override
  public Session open(Lab lab) {
    return run -> measure(lab, run);
  }

  private RunResult measure(Lab lab, int run) throws Exception {
    MasterRecord before = ClusterChecks.awaitHealthy(lab);
    // In synchronous mode only the synchronous standby may win a failover.
    Optional<String> synchronousStandby = labKind == LabKind.SYNC
        ? Optional.of(ClusterChecks.awaitSynchronousStandby(lab, before))
        : Optional.empty();
    String target = switch (victim) {
      case PRIMARY -> before.node();
      case STANDBY_IN_TURN -> {
        List<String> standbys = ClusterChecks.standbys(lab, before);
        yield standbys.get(run % standbys.size());
      }
      case SYNCHRONOUS_STANDBY -> synchronousStandby.orElseThrow();
    };
    RunResult.Builder result = RunResult.builder(run);
    int eventsFrom = lab.events().size();
    int mastersFrom = lab.masters().size();
    Moment faultAt;
    try (WriteProbe client = ClusterChecks.startProbe(lab);
        OldPrimaryWriter oldSide = hitsPrimary()
            ? fault.oldPrimaryWriter(lab, lab.postgres().node(before.node()))
            : OldPrimaryWriter.none()) {
      // A random phase of the heartbeat loop: a fixed delay would bias detection.
      ClusterChecks.sleep(HEARTBEAT_INTERVAL.plusMillis(
          ThreadLocalRandom.current().nextLong(HEARTBEAT_INTERVAL.toMillis())));
      faultAt = Moment.now();
      try {
        fault.inject(lab, target);
        measureFault(lab, before, synchronousStandby, target, faultAt, eventsFrom, mastersFrom,
            client, oldSide, result);
      } finally {
        fault.recover(lab, target);
      }
    }
    ClusterChecks.awaitHealthy(lab);
    result.duration(Metric.HEALTHY_AGAIN, faultAt.until(System.nanoTime()));
    return result.build();
  }

  private void measureFault(Lab lab, MasterRecord before, Optional<String> synchronousStandby,
      String target, Moment fault, int eventsFrom, int mastersFrom, WriteProbe client,
      OldPrimaryWriter oldSide, RunResult.Builder result) throws Exception {
    if (hitsPrimary()) {
      TopicTail.Entry<MasterRecord> promoted =
          ClusterChecks.awaitNewMaster(lab, mastersFrom, before, EVENT_TIMEOUT);
      result.duration(Metric.PROMOTION, fault.until(promoted.timestamp()));
      synchronousStandby.filter(sync -> !sync.equals(promoted.value().node())).ifPresent(sync ->
          result.note("promoted " + promoted.value().node() + ", not the synchronous standby " + sync));
    }
    TopicTail.Entry<ClusterEvent> detected = ClusterChecks.awaitEvent(lab, eventsFrom,
        hitsPrimary() ? EventType.PRIMARY_LOST : EventType.NODE_LOST,
        e -> e.node().map(target::equals).orElse(true), EVENT_TIMEOUT);
    result.duration(Metric.DETECTION, fault.until(detected.timestamp()));
    ClusterChecks.awaitWritesAfter(client, fault.nanos(), WRITES_TIMEOUT);
    if (!hitsPrimary()) {
      MasterRecord now = lab.master().orElseThrow();
      if (now.epoch() != before.epoch()) {
        result.note("a standby's loss changed the master to " + now.node() + " (epoch " + now.epoch() + ")");
      }
    }
    if (victim == Victim.SYNCHRONOUS_STANDBY) {
      result.duration(Metric.SYNC_REPLACED, fault.until(ClusterChecks.awaitEvent(lab, eventsFrom,
          EventType.SYNC_STANDBYS_CHANGED, e -> true, EVENT_TIMEOUT).timestamp()));
    }
    ClusterChecks.sleep(GRACE);
    Optional<ProbeResults> old = oldSide.stop();
    client.close();
    ProbeResults written = client.results();
    // On the new primary, before the dead node is restarted (recover runs after this).
    result.count(Metric.LOST_WRITES, ClusterChecks.lostWrites(lab, written).size());
    List<Outage> outages = written.outages().stream()
        .filter(o -> o.endNanos() > fault.nanos()).toList();
    result.duration(Metric.OUTAGE, outages.stream().map(Outage::duration)
        .max(Comparator.naturalOrder()).orElse(Duration.ZERO));
    if (outages.size() > 1) {
      result.note(outages.size() + " outages after the fault; the longest counts");
    }
    result.duration(Metric.LONGEST_WRITE, written.attempts().stream()
        .filter(a -> a.endNanos() - fault.nanos() >= 0).map(Attempt::duration)
        .max(Comparator.naturalOrder()).orElse(Duration.ZERO));
    old.ifPresent(o -> measureOverlap(o, written, outages, fault, result));
  }

  /**
   * The old primary's writable window against the new primary's: the new primary's first commit
   * is the client's write that ended its outage, because after the fault the client reaches no
   * other primary.
   */
  private static void measureOverlap(ProbeResults oldSide, ProbeResults client,
      List<Outage> outages, Moment fault, RunResult.Builder result) {
    long lastOldCommit = oldSide.lastAcknowledgedAt()
        .orElseThrow(() -> new IllegalStateException("the old primary's writer never wrote"));
    result.duration(Metric.OLD_PRIMARY_LAST_COMMIT,
        positive(Duration.ofNanos(lastOldCommit - fault.nanos())));
    if (outages.isEmpty()) {
      result.note("the client never failed: no first commit on the new primary to compare with");
      return;
    }
    long outageEnd = outages.get(0).endNanos();
    Attempt firstNewCommit = client.attempts().stream()
        .filter(a -> a.isAcknowledged() && a.endNanos() == outageEnd)
        .findFirst().orElseThrow();
    result.duration(Metric.OVERLAP,
        positive(Duration.ofNanos(lastOldCommit - firstNewCommit.startNanos())));
  }

  private static Duration positive(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }
}
