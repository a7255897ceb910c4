package io.baton.benchmark.scenarios;

import io.baton.lab.ClusterChecks;
import io.baton.benchmark.LabKind;
import io.baton.benchmark.Metric;
import io.baton.benchmark.Moment;
import io.baton.benchmark.RunResult;
import io.baton.benchmark.Target;
import io.baton.client.FollowerOptions;
import io.baton.client.MasterFollower;
import io.baton.client.kafka.KafkaConnection;
import io.baton.client.operator.RequestClient;
import io.baton.events.MasterRecord;
import io.baton.lab.Lab;
import io.baton.testkit.cleanup.Directories;
import io.baton.testkit.net.FreePorts;
import io.baton.testkit.postgres.Credentials;
import io.baton.testkit.probe.Attempt;
import io.baton.testkit.probe.WriteProbe;
import io.baton.testkit.process.ChildProcess;
import io.baton.testkit.proxy.HaproxyProcess;
import io.baton.testkit.proxy.PgBouncerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How fast master changes reach clients that do not find the primary themselves: master changes
 * (switchovers, each node in turn) under two clients, one writing through a real HAProxy that the
 * lab's HAProxy subscriber drives, one through a real PgBouncer (transaction pooling) that the
 * PgBouncer subscriber drives, while a {@link MasterFollower} in this JVM listens.
 *
 * <p>Every figure starts at the master record's timestamp, which the coordinator sets to the
 * broker append time of the heartbeat it decided on: a little before the record itself was
 * appended, so the figures include the coordinator's deciding and its transaction commit. The
 * broker runs in this JVM, so its timestamps and the listener's {@link Instant#now()} read the
 * same clock (CLOCK_REALTIME); the probes' monotonic stamps are related to it through a {@link
 * Moment} taken in the listener call.
 *
 * <p>The first successful write after the record's timestamp is on the new primary: in a
 * switchover the old primary stops taking writes before the target is promoted, and the record
 * follows the promotion.
 */
public final class Subscribers implements Scenario {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration SUBSCRIBER_START = Duration.ofSeconds(90);

  /** One call of the follower's listener. */
  private record Call(MasterRecord master, Instant publishedAt, Moment calledAt) {}

  @Override
  public String name() {
    return "subscribers";
  }

  @Override
  public String description() {
    return "master changes (switchovers) reaching a MasterFollower, HAProxy and PgBouncer";
  }

  @Override
  public Group group() {
    return Group.SUBSCRIBERS;
  }

  @Override
  public LabKind labKind() {
    return LabKind.ASYNC;
  }

  /** A hundred changes, so that the p99 is a percentile and not simply the maximum. */
  @Override
  public int defaultRuns() {
    return 100;
  }

  /** Each node becomes primary twice. */
  @Override
  public int quickRuns() {
    return 6;
  }

  @Override
  public List<Target> targets() {
    return List.of(
        Target.p99(Metric.LISTENER, 100),
        Target.median(Metric.HAPROXY, 300),
        Target.median(Metric.PGBOUNCER, 300));
  }

  @Override
  public Session open(Lab lab) throws Exception {
    Wiring wiring = new Wiring(lab);
    try {
      wiring.start();
    } catch (Exception | Error e) {
      wiring.close();
      throw e;
    }
    return wiring;
  }

  /** Proxies, subscribers, follower and clients, set up once for all the runs. */
  private static final class Wiring implements Session {
    private final Lab lab;
    private final List<Call> calls = new ArrayList<>();
    private Path directory;
    private HaproxyProcess haproxy;
    private PgBouncerProcess pgbouncer;
    private final List<ChildProcess> subscribers = new ArrayList<>();
    private MasterFollower follower;
    private RequestClient requests;
    private WriteProbe viaHaproxy;
    private WriteProbe viaPgBouncer;

    Wiring(Lab lab) {
      this.lab = lab;
    }

    void start() throws Exception {
      MasterRecord master = ClusterChecks.awaitHealthy(lab);
      ClusterChecks.createProbeTable(lab, master);
      Credentials app = lab.postgres().appCredentials();
      directory = Files.createTempDirectory("baton-bench-proxies-");
      // PgBouncer runs as PostgreSQL's OS user and must reach its own directory inside.
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));

      Path haproxyDirectory = Files.createDirectory(directory.resolve("haproxy"));
      haproxy = HaproxyProcess.in(haproxyDirectory);
      int frontend = FreePorts.loopback();
      Path managed = haproxyDirectory.resolve("baton.cfg");
      subscribers.add(lab.startSubscriber("haproxy", Map.of(
          "baton.haproxy.enabled", true,
          "baton.haproxy.admin-socket", haproxy.adminSocket(),
          "baton.haproxy.config-file", managed,
          "baton.haproxy.validate-with", haproxy.mainConfig(),
          "baton.haproxy.binary", haproxy.binary(),
          "baton.haproxy.clusters." + lab.cluster() + ".bind", "127.0.0.1:" + frontend)));
      // HAProxy starts from the file the subscriber writes, as the subscriber's docs advise.
      awaitApplied(subscribers.get(0), "haproxy", master);
      haproxy.start(managed);

      pgbouncer = PgBouncerProcess.start(Files.createDirectory(directory.resolve("pgbouncer")),
          "transaction", app, "[databases]\napp = host=" + master.host() + " port="
              + master.port() + " dbname=app\n");
      subscribers.add(lab.startSubscriber("pgbouncer", Map.of(
          "baton.pgbouncer.enabled", true,
          "baton.pgbouncer.databases-file", pgbouncer.databasesFile(),
          "baton.pgbouncer.admin-port", pgbouncer.port(),
          "baton.pgbouncer.admin-user", PgBouncerProcess.ADMIN_USER,
          "baton.pgbouncer.admin-password-file", pgbouncer.adminPasswordFile(),
          "baton.pgbouncer.databases.app.cluster", lab.cluster())));
      awaitApplied(subscribers.get(1), "pgbouncer", master);

      KafkaConnection kafka = KafkaConnection.of(lab.bootstrapServers(), lab.topics().prefix());
      follower = new MasterFollower(FollowerOptions.builder(kafka).cluster(lab.cluster())
          .clientId("baton-benchmark").build());
      follower.addListener((previous, current, publishedAt) -> {
        Moment now = Moment.now();
        synchronized (calls) {
          calls.add(new Call(current, publishedAt, now));
          calls.notifyAll();
        }
      });
      follower.start();
      if (!follower.awaitReady(WAIT)) {
        throw new IllegalStateException("the MasterFollower was not ready within " + WAIT + ": "
            + follower.problem().orElse("still reading"));
      }
      requests = lab.requests();
      viaHaproxy = WriteProbe.builder(() -> "jdbc:postgresql://127.0.0.1:" + frontend + "/app",
          app.user(), app.password()).start();
      ClusterChecks.awaitFirstWrite(viaHaproxy, "the client behind HAProxy");
      // Transaction pooling: server-side prepared statements cannot follow a client around.
      viaPgBouncer = WriteProbe.builder(() -> pgbouncer.jdbcUrl("app") + "?prepareThreshold=0",
          app.user(), app.password()).start();
      ClusterChecks.awaitFirstWrite(viaPgBouncer, "the client behind PgBouncer");
    }

    /** Waits for the subscriber's log line that it applied this master. */
    private static void awaitApplied(ChildProcess subscriber, String name, MasterRecord master) {
      String where = "subscriber=" + name + " cluster=" + master.cluster() + " epoch="
          + master.epoch() + " ";
      subscriber.awaitLogLine(line -> line.contains(where) && line.contains(" applied in "),
          SUBSCRIBER_START);
    }

    @Override
    public RunResult run(int run) throws Exception {
      MasterRecord before = ClusterChecks.awaitHealthy(lab);
      // Both paths write on the current primary before the change.
      long ready = System.nanoTime();
      ClusterChecks.awaitWritesAfter(viaHaproxy, ready, WAIT);
      ClusterChecks.awaitWritesAfter(viaPgBouncer, ready, WAIT);
      RunResult.Builder result = RunResult.builder(run);
      Switchovers.Handover handover =
          Switchovers.to(lab, requests, ClusterChecks.nextInTurn(lab, before.node()));
      result.duration(Metric.HANDOVER, handover.duration());
      handover.refusals().forEach(why -> result.note("refused first, asked again: " + why));
      Call call = awaitCall(before.epoch());
      result.duration(Metric.LISTENER, Duration.between(call.publishedAt(), call.calledAt().wall()));
      long publishedNanos = call.calledAt().toNanos(call.publishedAt());
      result.duration(Metric.HAPROXY, firstWriteAfter(viaHaproxy, publishedNanos, "HAProxy"));
      result.duration(Metric.PGBOUNCER, firstWriteAfter(viaPgBouncer, publishedNanos, "PgBouncer"));
      ClusterChecks.awaitHealthy(lab);
      return result.build();
    }

    /** The listener's call for the first master with a newer epoch. */
    private Call awaitCall(long epochBefore) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      synchronized (calls) {
        while (true) {
          Optional<Call> newer = calls.stream()
              .filter(c -> c.master().epoch() > epochBefore).findFirst();
          if (newer.isPresent()) {
            return newer.get();
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new IllegalStateException("the MasterFollower's listener was not called for a"
                + " master newer than epoch " + epochBefore + " within " + WAIT);
          }
          calls.wait(Math.max(1, left / 1_000_000));
        }
      }
    }

    /** From the master record's timestamp to the first acknowledged write after it. */
    private static Duration firstWriteAfter(WriteProbe probe, long publishedNanos, String path) {
      ClusterChecks.await(() -> acknowledgedAfter(probe, publishedNanos).isPresent(), WAIT,
          () -> "no write through " + path + " succeeded within " + WAIT + " of the master record");
      return Duration.ofNanos(acknowledgedAfter(probe, publishedNanos).orElseThrow().endNanos()
          - publishedNanos);
    }

    private static Optional<Attempt> acknowledgedAfter(WriteProbe probe, long nanos) {
      return probe.attempts().stream()
          .filter(a -> a.isAcknowledged() && a.endNanos() - nanos > 0).findFirst();
    }

    @Override
    public void close() {
      if (viaHaproxy != null) {
        viaHaproxy.close();
      }
      if (viaPgBouncer != null) {
        viaPgBouncer.close();
      }
      if (follower != null) {
        follower.close();
      }
      if (requests != null) {
        requests.close();
      }
      subscribers.forEach(ChildProcess::close);
      if (haproxy != null) {
        haproxy.close();
      }
      if (pgbouncer != null) {
        pgbouncer.close();
      }
      if (directory != null) {
        Directories.deleteRecursively(directory);
      }
    }
  }
}
