package io.baton.system;

import static io.baton.system.ClusterAssertions.assertOnePrimaryAllStreaming;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.client.operator.RequestClient;
import io.baton.events.ClusterEvent;
import io.baton.events.MasterRecord;
import io.baton.events.RequestOutcome;
import io.baton.events.RequestedAction;
import io.baton.lab.ClusterChecks;
import io.baton.lab.Lab;
import io.baton.lab.TopicTail;
import io.baton.testkit.cleanup.Directories;
import io.baton.testkit.kafka.TestKafka;
import io.baton.testkit.net.FreePorts;
import io.baton.testkit.postgres.Credentials;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.probe.Attempt;
import io.baton.testkit.probe.WriteProbe;
import io.baton.testkit.process.ChildProcess;
import io.baton.testkit.process.Executables;
import io.baton.testkit.process.Signal;
import io.baton.testkit.proxy.HaproxyProcess;
import io.baton.testkit.proxy.PgBouncerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The subscribers end to end: Debian's HAProxy 2.6 and PgBouncer 1.18 in front of a real
 * PostgreSQL 15 cluster run by Baton on real Kafka, each re-pointed only by its subscriber process
 * following the master topic. Two clients write continuously, one connected only through HAProxy,
 * one only through PgBouncer (transaction pooling, what people run, and the mode in which a
 * re-point can be invisible to the client: PAUSE waits for the end of transactions). Across a
 * switchover and then a failover (node killed, then brought back to rejoin), each client must end
 * up writing to the new primary with no manual step, the switchover must lose no acknowledged
 * write, and neither event may let a client get an acknowledgement from the old primary for a
 * write made after the new master record was published.
 *
 * <p><b>Which node acknowledged a write.</b> The probe table gets a column {@code committed_by
 * DEFAULT inet_server_port()}: the server that executes the insert stamps its own port (every
 * node listens on 127.0.0.1 on its own port) into the row, and the stamp travels with the row by
 * streaming replication. Reading the probe's rows on the <em>new</em> primary N then tells, for
 * every acknowledged attempt:
 *
 * <ul>
 *   <li>row present, {@code committed_by} = N: N acknowledged it;
 *   <li>row present, {@code committed_by} = the old primary O: O committed it before N was
 *       promoted (only WAL from before the fork reaches N);
 *   <li>row missing: it was committed by a server whose history N does not contain, which can only
 *       be O after the fork (or, in an asynchronous failover, O just before its death with the WAL
 *       not yet shipped). The third node was a standby throughout and cannot commit.
 * </ul>
 *
 * <p>The old primary's own data is not read: after a switchover it rejoins as N's standby, and
 * had it diverged, pg_rewind would remove exactly the rows of interest; after a failover it is
 * dead. Reading N is both possible and enough.
 *
 * <p><b>After publication.</b> The new master record carries the broker time P of the input the
 * coordinator decided on: N's heartbeat reporting itself a running primary, or a later clock tick
 * (Promotion.promoted), so P is after the fork. P is put on the probes'
 * {@link System#nanoTime()} scale through one wall-clock/monotonic offset taken at start; the
 * moment the test's own consumer received the record ({@link TopicTail.Entry#receivedNanos()}) is
 * a bound that needs no clock conversion, and the earlier of the two is used, which checks more
 * attempts. Then, per client and event:
 *
 * <ol>
 *   <li>no acknowledged attempt that <em>ended</em> after P has its row missing on N: such an ack
 *       came from O's history after the fork, i.e. O acknowledged a write after the new master
 *       was published (an ack in flight from a commit O made before the fork is not one: its row
 *       is on N);
 *   <li>every acknowledged attempt that <em>started</em> after P was committed by N;
 *   <li>a write started after P is acknowledged by N within 30 s (and a fresh connection through
 *       the proxy lands on N's port), with nothing done to the proxies by the test.
 * </ol>
 *
 * <p>For the switchover every acknowledged write must be on N; for the failover acknowledged
 * writes lost with the old primary are possible (asynchronous replication) and only printed. The
 * time from P to each client's first write acknowledged by N is printed, not asserted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SubscribersIT {
  private static final String CLUSTER = "subscribers";
  private static final Duration SETTLE = Duration.ofSeconds(120);
  private static final Duration REPOINTED_WITHIN = Duration.ofSeconds(30);

  private static Lab lab;
  private static RequestClient requests;
  private static Path proxiesDirectory;
  private static HaproxyProcess haproxy;
  private static PgBouncerProcess pgbouncer;
  private static ChildProcess haproxySubscriber;
  private static ChildProcess pgbouncerSubscriber;
  private static String viaHaproxyUrl;
  private static String viaPgBouncerUrl;
  private static WriteProbe viaHaproxy;
  private static WriteProbe viaPgBouncer;
  /** {@code System.nanoTime()} minus the wall clock in epoch nanoseconds. */
  private static long nanoTimeMinusWallClock;

  /** A proxy and the client writing only through it. */
  private record Client(String proxy, WriteProbe probe, String url) {}

  /**
   * A change of primary as the test saw it: old and new master, when the test caused it, and
   * when the new master record was published.
   */
  private record Change(String what, MasterRecord from, MasterRecord to, long causedNanos,
      Instant brokerTime, long publishedNanos) {}

  @BeforeAll
  static void start() throws Exception {
    // Fail at once, with the install hint, when a proxy is missing: not after a minute of lab.
    Executables.find("haproxy", HaproxyProcess.INSTALL_HINT);
    Executables.find("pgbouncer", PgBouncerProcess.INSTALL_HINT);
    Instant wall = Instant.now();
    nanoTimeMinusWallClock = System.nanoTime() - (wall.getEpochSecond() * 1_000_000_000L + wall.getNano());

    lab = Lab.builder().cluster(CLUSTER).bootstrapServers(TestKafka.bootstrapServers()).start();
    requests = lab.requests();
    MasterRecord first = assertOnePrimaryAllStreaming(lab, SETTLE);
    createProbeTable(lab.postgres().node(first.node()));

    proxiesDirectory = Files.createTempDirectory("baton-subscribers-it-");
    // PgBouncer runs as the postgres user and must reach its directory inside this one.
    Files.setPosixFilePermissions(proxiesDirectory, PosixFilePermissions.fromString("rwxr-xr-x"));
    startHaproxyWithItsSubscriber(first);
    startPgBouncerWithItsSubscriber(first);

    Credentials app = lab.postgres().appCredentials();
    long probesStartedAt = System.nanoTime();
    viaHaproxy = WriteProbe.builder(() -> viaHaproxyUrl, app.user(), app.password()).runId("via-haproxy").start();
    viaPgBouncer = WriteProbe.builder(() -> viaPgBouncerUrl, app.user(), app.password()).runId("via-pgbouncer").start();
    for (Client client : clients()) {
      awaitWriteCommittedBy(client, lab.postgres().node(first.node()), probesStartedAt);
    }
  }

  /**
   * HAProxy loads the file its subscriber owns; the subscriber writes it (pointing at the current
   * primary) before HAProxy runs, as at a host's first boot, and moves the server through the
   * admin socket from then on.
   */
  private static void startHaproxyWithItsSubscriber(MasterRecord current) throws Exception {
    Path directory = Files.createDirectories(proxiesDirectory.resolve("haproxy"));
    haproxy = HaproxyProcess.in(directory);
    Path managedConfig = directory.resolve("baton.cfg");
    int frontendPort = FreePorts.loopback();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("baton.haproxy.enabled", true);
    settings.put("baton.haproxy.group-id", lab.topics().prefix() + "subscriber-haproxy");
    settings.put("baton.haproxy.admin-socket", haproxy.adminSocket());
    settings.put("baton.haproxy.config-file", managedConfig);
    settings.put("baton.haproxy.validate-with", haproxy.mainConfig());
    settings.put("baton.haproxy.binary", haproxy.binary());
    settings.put("baton.haproxy.clusters." + CLUSTER + ".bind", "127.0.0.1:" + frontendPort);
    haproxySubscriber = lab.startSubscriber("haproxy", settings);
    awaitApplied(haproxySubscriber, "haproxy", current);
    haproxy.start(managedConfig);
    viaHaproxyUrl = "jdbc:postgresql://127.0.0.1:" + frontendPort + "/app";
    assertEquals(current.port(), serverPortThrough(viaHaproxyUrl), "HAProxy starts on the primary");
  }

  /**
   * PgBouncer starts with an empty databases file: its subscriber adds the entry for the primary
   * (RELOAD) and re-points it on every change (PAUSE, rewrite, RELOAD, RESUME).
   */
  private static void startPgBouncerWithItsSubscriber(MasterRecord current) throws Exception {
    Path directory = Files.createDirectories(proxiesDirectory.resolve("pgbouncer"));
    pgbouncer = PgBouncerProcess.start(directory, "transaction", lab.postgres().appCredentials(), "[databases]\n");
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("baton.pgbouncer.enabled", true);
    settings.put("baton.pgbouncer.group-id", lab.topics().prefix() + "subscriber-pgbouncer");
    settings.put("baton.pgbouncer.databases-file", pgbouncer.databasesFile());
    settings.put("baton.pgbouncer.admin-host", "127.0.0.1");
    settings.put("baton.pgbouncer.admin-port", pgbouncer.port());
    settings.put("baton.pgbouncer.admin-user", PgBouncerProcess.ADMIN_USER);
    settings.put("baton.pgbouncer.admin-password-file", pgbouncer.adminPasswordFile());
    settings.put("baton.pgbouncer.psql", lab.postgres().installation().tool("psql"));
    settings.put("baton.pgbouncer.databases.app.cluster", CLUSTER);
    pgbouncerSubscriber = lab.startSubscriber("pgbouncer", settings);
    awaitApplied(pgbouncerSubscriber, "pgbouncer", current);
    // PgBouncer 1.18 has no prepared statements in transaction pooling: the driver must not use them.
    viaPgBouncerUrl = pgbouncer.jdbcUrl("app") + "?prepareThreshold=0";
    assertEquals(current.port(), serverPortThrough(viaPgBouncerUrl), "PgBouncer starts on the primary");
  }

  @AfterAll
  static void stop() {
    // Clients first, so that nothing writes while the rest goes; the lab stops its subscribers
    // before the agents, and the proxies go last.
    closeQuietly(viaHaproxy);
    closeQuietly(viaPgBouncer);
    closeQuietly(requests);
    closeQuietly(lab);
    closeQuietly(haproxy);
    closeQuietly(pgbouncer);
    if (proxiesDirectory != null) {
      Directories.deleteRecursively(proxiesDirectory);
    }
  }

  @Test
  @Order(1)
  void aSwitchoverMovesBothProxiesToTheNewPrimaryWithoutLosingOrMisroutingAWrite() throws Exception {
    MasterRecord before = assertOnePrimaryAllStreaming(lab, SETTLE);
    String target = lab.postgres().nodes().stream().map(PostgresNode::name)
        .filter(n -> !n.equals(before.node())).findFirst().orElseThrow();
    ClusterChecks.sleep(Duration.ofSeconds(1));

    long requestedAt = System.nanoTime();
    RequestClient.Answer answer = requests.submit(CLUSTER,
        new RequestedAction.Switchover(Optional.empty(), Optional.of(target)), Duration.ofSeconds(60), e -> {});
    assertEquals(RequestOutcome.COMPLETED, answer.last().flatMap(ClusterEvent::outcome).orElse(null),
        "switchover answer: " + answer.events());
    Change change = awaitChange("switchover", before, requestedAt);
    assertEquals(target, change.to().node());

    PostgresNode newPrimary = lab.postgres().node(change.to().node());
    for (Client client : clients()) {
      checkClientFollowed(client, change);
      // Checked now: the next event makes this primary an old one, and rewinds it.
      assertEquals(List.of(), lostWrites(client, newPrimary),
          "acknowledged writes through " + client.proxy() + " missing on the new primary after the switchover");
    }
    printSubscriberLines(change);
    // The old primary rejoins as a standby, so that the failover has candidates.
    assertOnePrimaryAllStreaming(lab, SETTLE);
  }

  @Test
  @Order(2)
  void aFailoverMovesBothProxiesToTheNewPrimaryAndTheOldOneRejoins() throws Exception {
    MasterRecord before = assertOnePrimaryAllStreaming(lab, SETTLE);
    ClusterChecks.sleep(Duration.ofSeconds(1));

    // The whole node dies: its agent first, so nobody restarts or fences what is left.
    long killedAt = System.nanoTime();
    lab.agent(before.node()).signal(Signal.KILL);
    lab.postgres().killPostmaster(lab.postgres().node(before.node()));
    Change change = awaitChange("failover", before, killedAt);
    assertNotEquals(before.node(), change.to().node());

    PostgresNode newPrimary = lab.postgres().node(change.to().node());
    for (Client client : clients()) {
      checkClientFollowed(client, change);
      List<Long> lost = lostWrites(client, newPrimary);
      System.out.printf("[measure] failover: %d acknowledged writes through %s died with %s"
          + " (asynchronous replication)%n", lost.size(), client.proxy(), before.node());
    }
    printSubscriberLines(change);

    lab.startAgent(before.node());
    MasterRecord settled = assertOnePrimaryAllStreaming(lab, SETTLE);
    assertEquals(change.to().node(), settled.node(), "the old primary rejoined as a standby");
    // Clients keep writing to the new primary once the old one is back.
    long rejoinedAt = System.nanoTime();
    for (Client client : clients()) {
      awaitWriteCommittedBy(client, newPrimary, rejoinedAt);
      assertEquals(newPrimary.port(), serverPortThrough(client.url()), client.proxy() + " after the rejoin");
    }
  }

  private static List<Client> clients() {
    return List.of(new Client("HAProxy", viaHaproxy, viaHaproxyUrl),
        new Client("PgBouncer", viaPgBouncer, viaPgBouncerUrl));
  }

  /** The three checks of the class comment, for one client and one change, and the latency. */
  private static void checkClientFollowed(Client client, Change change) throws Exception {
    PostgresNode newPrimary = lab.postgres().node(change.to().node());
    Attempt firstAfter = awaitWriteCommittedBy(client, newPrimary, change.publishedNanos());
    assertEquals(newPrimary.port(), serverPortThrough(client.url()),
        "a new connection through " + client.proxy() + " reaches the new primary");

    // Snapshot the client before reading rows: every ack in it is committed by then.
    List<Attempt> acknowledged = client.probe().attempts().stream().filter(Attempt::isAcknowledged).toList();
    Map<Long, Integer> committedBy = committedBy(newPrimary, client.probe().runId());
    List<Long> ackedByOldAfterPublication = acknowledged.stream()
        .filter(a -> a.endNanos() - change.publishedNanos() > 0 && !committedBy.containsKey(a.seq()))
        .map(Attempt::seq).toList();
    assertEquals(List.of(), ackedByOldAfterPublication, client.proxy() + ": writes acknowledged after the "
        + change.what() + "'s master record was published but missing on the new primary "
        + change.to().node() + ", i.e. committed by the old primary " + change.from().node() + " after the fork");
    List<String> issuedAfterPublicationNotOnNew = acknowledged.stream()
        .filter(a -> a.startNanos() - change.publishedNanos() > 0
            && !Integer.valueOf(newPrimary.port()).equals(committedBy.get(a.seq())))
        .map(a -> a.seq() + " by port " + committedBy.get(a.seq())).toList();
    assertEquals(List.of(), issuedAfterPublicationNotOnNew, client.proxy() + ": writes issued after the "
        + change.what() + "'s master record was published but not committed by the new primary");

    // The new primary may have been a primary before (n1 after switchover and failover): only its
    // acks since the test caused this change count.
    Attempt firstOnNew = acknowledged.stream()
        .filter(a -> a.startNanos() - change.causedNanos() > 0
            && Integer.valueOf(newPrimary.port()).equals(committedBy.get(a.seq())))
        .findFirst().orElse(firstAfter);
    List<Attempt> failed = client.probe().attempts().stream()
        .filter(a -> !a.isAcknowledged() && a.startNanos() - change.causedNanos() > 0
            && a.startNanos() - firstOnNew.endNanos() < 0)
        .toList();
    String outage = failed.isEmpty() ? "no failed attempt"
        : String.format("writes failing for %d ms before (%d attempts, first: %s)",
            Duration.ofNanos(firstOnNew.endNanos() - failed.get(0).startNanos()).toMillis(), failed.size(),
            failed.get(0).error().orElse(""));
    System.out.printf("[measure] %s: master record (broker time) -> first write through %s acknowledged by"
        + " the new primary %s: %d ms; %s%n", change.what(), client.proxy(), change.to().node(),
        Duration.ofNanos(firstOnNew.endNanos() - toNanoTime(change.brokerTime())).toMillis(), outage);
  }

  /**
   * Waits for the first master record of the cluster newer than {@code before}, and fixes the
   * moment of its publication on the probes' clock (see the class comment).
   */
  private static Change awaitChange(String what, MasterRecord before, long causedNanos) {
    TopicTail.Entry<MasterRecord> entry = lab.masters()
        .await(0, m -> m.cluster().equals(CLUSTER) && m.epoch() > before.epoch(), Duration.ofSeconds(60))
        .orElseThrow(() -> new AssertionError("no new master record after the " + what + "; events:\n"
            + lab.describeEvents()));
    long brokerNanos = toNanoTime(entry.timestamp());
    System.out.printf("[measure] %s: %s -> %s at epoch %d; test consumer received the record %d ms after its"
        + " broker timestamp%n", what, before.node(), entry.value().node(), entry.value().epoch(),
        Duration.ofNanos(entry.receivedNanos() - brokerNanos).toMillis());
    return new Change(what, before, entry.value(), causedNanos, entry.timestamp(),
        Math.min(brokerNanos, entry.receivedNanos()));
  }

  /**
   * Waits until the client has an acknowledged write that started after {@code sinceNanos} and
   * whose row {@code node} itself committed; returns it.
   */
  private static Attempt awaitWriteCommittedBy(Client client, PostgresNode node, long sinceNanos) throws Exception {
    long deadline = System.nanoTime() + REPOINTED_WITHIN.toNanos();
    while (true) {
      List<Attempt> candidates = client.probe().attempts().stream()
          .filter(a -> a.isAcknowledged() && a.startNanos() - sinceNanos > 0).toList();
      if (!candidates.isEmpty()) {
        Map<Long, Integer> rows = committedBy(node, client.probe().runId());
        Optional<Attempt> onNode = candidates.stream()
            .filter(a -> Integer.valueOf(node.port()).equals(rows.get(a.seq()))).findFirst();
        if (onNode.isPresent()) {
          return onNode.get();
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no write through " + client.proxy() + " acknowledged by " + node.name()
            + " within " + REPOINTED_WITHIN + "; last attempts: " + lastAttempts(client.probe())
            + "\nevents:\n" + lab.describeEvents());
      }
      ClusterChecks.sleep(Duration.ofMillis(100));
    }
  }

  private static String lastAttempts(WriteProbe probe) {
    List<Attempt> all = probe.attempts();
    return all.subList(Math.max(0, all.size() - 3), all.size()).toString();
  }

  /** Acknowledged writes of the client missing on {@code primary}. */
  private static List<Long> lostWrites(Client client, PostgresNode primary) throws SQLException {
    try (Connection c = lab.postgres().connect(primary, "app", lab.postgres().appCredentials())) {
      return client.probe().lostWrites(c);
    }
  }

  /** The probe table, plus the column in which the committing server stamps its port. */
  private static void createProbeTable(PostgresNode primary) throws SQLException {
    try (Connection c = lab.postgres().connect(primary, "app", lab.postgres().appCredentials());
        Statement s = c.createStatement()) {
      WriteProbe.createTable(c);
      s.execute("ALTER TABLE baton_probe ADD COLUMN IF NOT EXISTS committed_by integer DEFAULT inet_server_port()");
    }
  }

  /** For each row of a probe run on {@code node}: the port of the server that committed it. */
  private static Map<Long, Integer> committedBy(PostgresNode node, String runId) throws SQLException {
    Map<Long, Integer> rows = new HashMap<>();
    try (Connection c = lab.postgres().connect(node, "app", lab.postgres().appCredentials());
        PreparedStatement select = c.prepareStatement("SELECT seq, committed_by FROM baton_probe WHERE run_id = ?")) {
      select.setString(1, runId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          rows.put(rs.getLong(1), rs.getInt(2));
        }
      }
    }
    return rows;
  }

  /** The port of the PostgreSQL server a new connection through a proxy reaches. */
  private static int serverPortThrough(String url) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", lab.postgres().appCredentials().user());
    props.setProperty("password", lab.postgres().appCredentials().password());
    props.setProperty("connectTimeout", "2");
    props.setProperty("socketTimeout", "10");
    try (Connection c = DriverManager.getConnection(url, props);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT inet_server_port()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Waits for the subscriber's line saying it applied this master: {@link Lab#startSubscriber}
   * returns as soon as the process is started.
   */
  private static void awaitApplied(ChildProcess subscriber, String name, MasterRecord master) {
    subscriber.awaitLogLine(line -> line.contains("subscriber=" + name + " cluster=" + CLUSTER + " epoch="
        + master.epoch() + " ") && line.contains(" applied in "), Duration.ofSeconds(60));
  }

  /** What each subscriber said about applying the change (published -> applied, steps taken). */
  private static void printSubscriberLines(Change change) {
    for (ChildProcess subscriber : List.of(haproxySubscriber, pgbouncerSubscriber)) {
      subscriber.lines().stream()
          .filter(l -> l.contains("subscriber=") && l.contains("cluster=" + CLUSTER + " epoch=" + change.to().epoch() + " "))
          .forEach(l -> System.out.println("[" + change.what() + "] " + subscriber.name() + ": "
              + l.substring(l.indexOf("subscriber="))));
    }
  }

  private static long toNanoTime(Instant wallClock) {
    return wallClock.getEpochSecond() * 1_000_000_000L + wallClock.getNano() + nanoTimeMinusWallClock;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      System.err.println("closing " + closeable + ": " + e);
    }
  }
}
