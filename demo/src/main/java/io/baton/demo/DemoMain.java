package io.baton.demo;

import io.baton.client.operator.RequestClient;
import io.baton.events.Amounts;
import io.baton.events.ClusterEvent;
import io.baton.events.Heartbeat;
import io.baton.events.MasterRecord;
import io.baton.events.RequestedAction;
import io.baton.lab.Lab;
import io.baton.lab.TopicTail;
import io.baton.testkit.postgres.Credentials;
import io.baton.testkit.probe.Outage;
import io.baton.testkit.probe.WriteProbe;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The README's first command: starts Kafka (embedded KRaft unless {@code --bootstrap-servers} is
 * given), a 3-node PostgreSQL 15 cluster, the coordinator and an agent per node, prints master
 * records, heartbeats and decisions as they arrive, then shows a failover and a switchover under
 * a running writer, and keeps printing until Ctrl-C.
 */
public final class DemoMain {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    // Every Baton jar on this classpath carries its own logback.xml; name the demo's, before any
    // logger exists, so logback neither picks another nor warns about the choice.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "io/baton/demo/demo-logback.xml");
    }
    Optional<String> bootstrap = Optional.empty();
    boolean exitWhenDone = false;
    boolean quietHeartbeats = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bootstrap-servers" -> bootstrap = Optional.of(args[++i]);
        case "--exit-when-done" -> exitWhenDone = true;
        case "--quiet-heartbeats" -> quietHeartbeats = true;
        default -> {
          System.err.println(
              "usage: demo [--bootstrap-servers HOST:PORT] [--quiet-heartbeats] [--exit-when-done]");
          System.exit(64);
        }
      }
    }
    new DemoMain().run(bootstrap, exitWhenDone, quietHeartbeats);
  }

  private void run(Optional<String> bootstrap, boolean exitWhenDone, boolean quietHeartbeats)
      throws Exception {
    long began = System.nanoTime();
    say("starting " + bootstrap.map(b -> "on Kafka at " + b).orElse("an embedded Kafka broker (KRaft)")
        + ", a 3-node PostgreSQL 15 cluster, the coordinator and three agents");
    Lab.Builder builder = Lab.builder().cluster("demo").topicPrefix("baton.");
    bootstrap.ifPresent(builder::bootstrapServers);
    Lab lab = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      say("stopping every process the demo started");
      lab.close();
    }, "demo-shutdown"));
    say("each node enrolled by operator " + Lab.OPERATOR + " (baton enroll): the coordinator"
        + " believes only heartbeats signed with the node's key and requests signed by an operator");
    say("watch it with stock Kafka tools, in another terminal:");
    System.out.println("    ./dev console-consumer --bootstrap-server " + lab.bootstrapServers()
        + " --topic baton.master --from-beginning --property print.key=true");
    lab.masters().onRecord(entry -> printMaster(entry.value()));
    lab.events().onRecord(entry -> print("event", entry.value().logLine()));
    TopicTail<Heartbeat> heartbeats =
        new TopicTail<>(lab.bootstrapServers(), lab.topics().heartbeats(), Heartbeat.class);
    if (!quietHeartbeats) {
      heartbeats.onRecord(entry -> print("heartbeat", describe(entry.value())));
    }
    MasterRecord first = lab.awaitAllStreaming(Duration.ofSeconds(120));
    say("cluster up in " + Amounts.seconds(Duration.ofNanos(System.nanoTime() - began)) + ": " + first.node()
        + " is the primary, both standbys stream from it");

    Credentials app = lab.postgres().appCredentials();
    try (Connection c = lab.postgres().connect(lab.postgres().node(first.node()), "app", app)) {
      WriteProbe.createTable(c);
    }
    try (WriteProbe writer =
            WriteProbe.builder(() -> lab.postgres().multiHostJdbcUrl("app"), app.user(), app.password()).start();
        RequestClient requests = lab.requests()) {
      say("a client writes a row every 10 ms through a multi-host URL (targetServerType=primary)");
      sleep(Duration.ofSeconds(3));

      say("FAILOVER: killing the primary " + first.node() + "'s postmaster with SIGKILL");
      long killedAt = System.nanoTime();
      lab.postgres().killPostmaster(lab.postgres().node(first.node()));
      MasterRecord second = lab.awaitMaster(m -> m.epoch() > first.epoch(), Duration.ofSeconds(60));
      awaitWritesAfter(writer, killedAt);
      long publishedAt =
          lab.masters().entries().stream().filter(e -> e.value().equals(second))
              .mapToLong(TopicTail.Entry::receivedNanos).findFirst().orElse(System.nanoTime());
      List<Long> lostAtFailover = lostWrites(lab, writer, second);
      say("new primary " + second.node() + " (epoch " + second.epoch() + ") published "
          + Amounts.seconds(Duration.ofNanos(publishedAt - killedAt)) + " after the kill; the client's write outage: "
          + outageSince(writer, killedAt) + "; acknowledged writes lost: " + lostAtFailover.size()
          + (lostAtFailover.isEmpty()
              ? ""
              : " (asynchronous replication: the primary acknowledged them before a standby"
                  + " received them; `baton replication-mode demo sync` prevents this)"));
      lab.awaitAllStreaming(Duration.ofSeconds(120));
      say(first.node() + " rejoined as a standby of " + second.node());

      say("SWITCHOVER: handing the primary role over from " + second.node() + ", with no data loss");
      long requestedAt = System.nanoTime();
      RequestClient.Answer answer =
          requests.submit(
              lab.cluster(), new RequestedAction.Switchover(Optional.empty(), Optional.empty()),
              Duration.ofSeconds(30), event -> say("  step: " + event.message()));
      awaitWritesAfter(writer, System.nanoTime());
      writer.close();
      MasterRecord third = lab.master().orElseThrow();
      List<Long> lostAtSwitchover = new java.util.ArrayList<>(lostWrites(lab, writer, third));
      lostAtSwitchover.removeAll(lostAtFailover);
      say("switchover " + answer.last().flatMap(ClusterEvent::outcome).map(o -> o.wire()).orElse("timed out")
          + " in " + Amounts.seconds(Duration.ofNanos(System.nanoTime() - requestedAt)) + ": " + third.node()
          + " is the primary; the client's write outage: " + outageSince(writer, requestedAt)
          + "; acknowledged writes lost by the switchover: " + lostAtSwitchover.size() + " of "
          + writer.acknowledged().size());
    }
    say("done; the cluster keeps running and printing. Press Ctrl-C to stop every process.");
    if (!exitWhenDone) {
      new CountDownLatch(1).await();
    }
    heartbeats.close();
    System.exit(0);
  }

  private static List<Long> lostWrites(Lab lab, WriteProbe writer, MasterRecord primary) throws java.sql.SQLException {
    try (Connection c =
        lab.postgres().connect(lab.postgres().node(primary.node()), "app", lab.postgres().appCredentials())) {
      return writer.lostWrites(c);
    }
  }

  private static void awaitWritesAfter(WriteProbe writer, long nanos) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (writer.firstAcknowledgedAfter(nanos).isEmpty() && System.nanoTime() < deadline) {
      sleep(Duration.ofMillis(20));
    }
  }

  private static String outageSince(WriteProbe writer, long nanos) {
    return writer.outages().stream()
        .filter(o -> o.endNanos() >= nanos)
        .map(Outage::duration)
        .max(Duration::compareTo)
        .map(d -> String.format("%.2f s", d.toMillis() / 1000.0))
        .orElse("none");
  }

  private static void printMaster(MasterRecord master) {
    print("MASTER", master.cluster() + " -> " + master.node() + " at " + master.host() + ":" + master.port()
        + " epoch " + master.epoch() + " timeline " + master.timeline() + " (" + master.reason() + ")");
  }

  private static String describe(Heartbeat hb) {
    var pg = hb.postgres();
    String position = pg.walPosition().map(Object::toString).orElse("-");
    return String.format(
        "%-3s %-8s %-11s tl %s wal %-10s %s", hb.node(), pg.role().wire(), pg.health().wire(),
        pg.timeline().isPresent() ? pg.timeline().getAsLong() : "-", position,
        hb.agent().convergence().wire() + ": " + hb.agent().detail());
  }

  private static synchronized void print(String kind, String line) {
    System.out.printf("%s %-9s %s%n", LocalTime.now().format(CLOCK), kind, line);
  }

  private static void say(String line) {
    print("demo", line);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
