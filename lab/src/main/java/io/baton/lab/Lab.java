package io.baton.lab;

import io.baton.client.apiaccess.ApiAccess;
import io.baton.client.kafka.KafkaConnection;
import io.baton.client.keys.OperatorKey;
import io.baton.client.operator.RequestClient;
import io.baton.events.ClusterEvent;
import io.baton.events.EventType;
import io.baton.events.MasterRecord;
import io.baton.events.TopicNames;
import io.baton.testkit.kafka.KafkaBrokers;
import io.baton.testkit.net.FreePorts;
import io.baton.testkit.netns.Namespace;
import io.baton.testkit.netns.NetworkLab;
import io.baton.testkit.postgres.PostgresCluster;
import io.baton.testkit.postgres.PostgresClusterBuilder;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.process.ChildProcess;
import io.baton.testkit.process.JvmLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A whole Baton deployment on this machine, as real processes: Kafka (a KRaft broker embedded in
 * this JVM by default; {@link Builder#kafkaBrokers(int)} runs brokers in their own JVMs, {@link
 * Builder#bootstrapServers(String)} uses an existing cluster), a PostgreSQL 15 cluster (a primary
 * and streaming standbys), a coordinator and one agent per node, each a child JVM configured
 * through its own YAML file as an operator would configure it. Optionally each node (agent and
 * PostgreSQL) lives in its own network namespace, so that it can be cut off for real.
 *
 * <p>It is set up as an operator would: an operator key ({@link #OPERATOR}) the coordinator's
 * operator keys file lists, and each node enrolled with that key before its agent first starts,
 * at its PostgreSQL host and port, with the node key the agent then finds in its state
 * directory. Requests go through {@link #requests()}, signed with the operator's key.
 *
 * <p>Child logs go to the test kit's log directory ({@code target/test-logs}); {@code
 * -Dbaton.lab.keep=true} keeps the lab's directory (configurations, PostgreSQL logs) too.
 */
public final class Lab implements AutoCloseable {
  public static final String AGENT_MAIN = "io.baton.agent.AgentMain";
  public static final String COORDINATOR_MAIN = "io.baton.coordinator.CoordinatorMain";
  public static final String SUBSCRIBER_MAIN = "io.baton.subscribers.SubscriberMain";
  /** The operator whose key signs the lab's enrollments and requests. */
  public static final String OPERATOR = "lab";

  private final Builder spec;
  private final Path directory;
  private final TopicNames topics;
  private Optional<LabKafka> kafka = Optional.empty();
  private Optional<NetworkLab> network = Optional.empty();
  private String bootstrap;
  private String agentBootstrap;
  private PostgresCluster postgres;
  private ChildProcess coordinator;
  private final Map<String, ChildProcess> agents = new LinkedHashMap<>();
  private final List<ChildProcess> subscribers = new java.util.ArrayList<>();
  private final Map<String, Integer> agentPorts = new LinkedHashMap<>();
  private final Path operatorToken;
  private final Path handoverToken;
  private int coordinatorPort;
  private TopicTail<MasterRecord> masters;
  private TopicTail<ClusterEvent> events;
  private TopicTail<io.baton.events.Heartbeat> heartbeats;
  private LabIdentities identities;
  private final Set<String> enrolled = new HashSet<>();

  private Lab(Builder spec) {
    this.spec = spec;
    this.topics = new TopicNames(spec.topicPrefix);
    try {
      this.directory = Files.createTempDirectory("baton-lab-" + spec.cluster + "-");
      // The agents run as this user, their PostgreSQL as the postgres user: it must reach the
      // agents' state directories (its config file lives there).
      Files.setPosixFilePermissions(directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      operatorToken = secretToken(directory.resolve("api-operator.token"));
      handoverToken = secretToken(directory.resolve("api-handover.token"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A random API token in a file only this user may read. */
  private static Path secretToken(Path file) throws IOException {
    byte[] random = new byte[32];
    new java.security.SecureRandom().nextBytes(random);
    Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, java.util.HexFormat.of().formatHex(random) + "\n");
    return file;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What to start. */
  public static final class Builder {
    private String cluster = "demo";
    private int nodes = 3;
    private KafkaChoice kafka = new KafkaChoice.InProcess();
    private boolean namespaces;
    private boolean echo;
    private String topicPrefix = "baton-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private final Map<String, Object> agentSettings = new LinkedHashMap<>();
    private final Map<String, Object> coordinatorSettings = new LinkedHashMap<>();

    public Builder cluster(String name) {
      cluster = name;
      return this;
    }

    public Builder nodes(int count) {
      nodes = count;
      return this;
    }

    /** Use this Kafka cluster instead of starting an embedded broker. */
    public Builder bootstrapServers(String servers) {
      kafka = new KafkaChoice.External(servers);
      return this;
    }

    /**
     * Run Kafka as {@code count} (1 or 3) brokers in their own JVMs instead of an embedded
     * broker, so a test can pause, kill and restart them through {@link Lab#kafkaBrokers()}.
     */
    public Builder kafkaBrokers(int count) {
      kafka = new KafkaChoice.ChildJvms(count, false);
      return this;
    }

    /**
     * As {@link #kafkaBrokers(int)}, with libfaketime preloaded into every broker so a test can
     * also skew their wall clocks ({@link KafkaBrokers#skewClock}).
     */
    public Builder kafkaBrokersWithSkewableClocks(int count) {
      kafka = new KafkaChoice.ChildJvms(count, true);
      return this;
    }

    /** Each node in its own network namespace (root only), so it can be cut off. */
    public Builder inNamespaces() {
      namespaces = true;
      return this;
    }

    public Builder echo(boolean echoLogs) {
      echo = echoLogs;
      return this;
    }

    public Builder topicPrefix(String prefix) {
      topicPrefix = prefix;
      return this;
    }

    /** A setting of every agent, e.g. {@code ("baton.agent.fence-after", "2s")}. */
    public Builder agentSetting(String key, Object value) {
      agentSettings.put(key, value);
      return this;
    }

    /** A setting of the coordinator, e.g. {@code ("baton.coordinator.replication-mode", "sync")}. */
    public Builder coordinatorSetting(String key, Object value) {
      coordinatorSettings.put(key, value);
      return this;
    }

    public Lab start() {
      Lab lab = new Lab(this);
      try {
        lab.startAll();
        return lab;
      } catch (RuntimeException e) {
        lab.close();
        throw e;
      }
    }
  }

  private void startAll() {
    PostgresClusterBuilder cluster = PostgresCluster.builder();
    if (spec.namespaces) {
      NetworkLab net = NetworkLab.create(spec.nodes);
      network = Optional.of(net);
      for (int i = 0; i < spec.nodes; i++) {
        Namespace ns = net.namespace(i + 1);
        cluster.node("n" + (i + 1), ns.address(), ns.name());
      }
      cluster.allowClientNetwork(net.subnet());
    } else {
      cluster.nodes(spec.nodes);
    }
    LabKafka started = LabKafka.start(spec.kafka, network.map(NetworkLab::bridgeAddress));
    kafka = Optional.of(started);
    bootstrap = started.bootstrapServers();
    agentBootstrap = started.agentBootstrapServers();
    postgres = cluster.build();
    coordinatorPort = FreePorts.loopback();
    identities = LabIdentities.create(directory);
    startCoordinator();
    masters = new TopicTail<>(bootstrap, topics.master(), MasterRecord.class);
    events = new TopicTail<>(bootstrap, topics.events(), ClusterEvent.class);
    heartbeats = new TopicTail<>(bootstrap, topics.heartbeats(), io.baton.events.Heartbeat.class);
    for (PostgresNode node : postgres.nodes()) {
      // Every namespace has its own ports: a port free on loopback here is free in it too.
      agentPorts.put(node.name(), FreePorts.loopback());
      startAgent(node.name());
    }
  }

  /** Starts (or restarts) the coordinator and waits until it decides. */
  public ChildProcess startCoordinator() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("micronaut.server.port", coordinatorPort);
    settings.put("baton.kafka.bootstrap-servers", bootstrap);
    settings.put("baton.kafka.topic-prefix", spec.topicPrefix);
    settings.put("baton.topics.partitions", 1);
    settings.put("baton.coordinator.application-id", spec.topicPrefix + "coordinator");
    settings.put("baton.coordinator.instance-id", "lab-coordinator");
    settings.put("baton.coordinator.state-directory", directory.resolve("coordinator-state").toString());
    settings.put("baton.coordinator.operator-keys-file", identities.operatorKeysFile().toString());
    settings.put("baton.coordinator.http-request-key-file",
        identities.httpRequestKeyFile().toString());
    settings.put("baton.api.operator-token-file", operatorToken.toString());
    settings.putAll(spec.coordinatorSettings);
    Path config = writeConfig("coordinator.yml", settings);
    coordinator =
        JvmLauncher.mainClass(COORDINATOR_MAIN)
            .classpath(Artifacts.classpath("coordinator"))
            .name("coordinator")
            .env("MICRONAUT_CONFIG_FILES", config.toString())
            .logFile(logFile("coordinator"))
            .echo(spec.echo)
            .jvmOptions(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
            .start();
    coordinator.awaitLogLine(line -> line.contains("deciding with"), Duration.ofSeconds(90));
    return coordinator;
  }

  /**
   * Starts (or restarts) the agent of a node; it starts its PostgreSQL itself. The first time,
   * the node's key is made in the agent's state directory and enrolled, as an operator would
   * with {@code baton-agent print-public-key} and {@code baton enroll}.
   */
  public ChildProcess startAgent(String node) {
    PostgresNode pg = postgres.node(node);
    Path state = directory.resolve("agent-" + node);
    if (enrolled.add(node)) {
      identities.enroll(KafkaConnection.of(bootstrap, spec.topicPrefix), spec.cluster, node,
          pg.host(), pg.port(), state);
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("micronaut.server.port", agentPorts.get(node));
    settings.put("micronaut.server.host", pg.host());
    settings.put("baton.kafka.bootstrap-servers", agentBootstrap);
    settings.put("baton.kafka.topic-prefix", spec.topicPrefix);
    settings.put("baton.agent.cluster", spec.cluster);
    settings.put("baton.agent.node", node);
    settings.put("baton.agent.state-directory", state.toString());
    settings.put("baton.postgres.bin-directory", postgres.installation().binDir().toString());
    settings.put("baton.postgres.data-directory", pg.dataDir().toString());
    settings.put("baton.postgres.host", pg.host());
    settings.put("baton.postgres.port", pg.port());
    settings.put("baton.postgres.socket-directory", pg.socketDir().toString());
    settings.put("baton.postgres.user", postgres.agentCredentials().user());
    settings.put("baton.postgres.password-file", postgres.agentCredentials().passwordFile().toString());
    settings.put("baton.postgres.ssl-mode", "verify-full");
    settings.put("baton.postgres.ssl-root-cert-file", postgres.rootCertificate().toString());
    settings.put("baton.api.operator-token-file", operatorToken.toString());
    settings.put("baton.api.handover-token-file", handoverToken.toString());
    if (!postgres.installation().osUser().equals(System.getProperty("user.name"))) {
      settings.put("baton.postgres.os-user", postgres.installation().osUser());
    }
    settings.putAll(spec.agentSettings);
    Path config = writeConfig("agent-" + node + ".yml", settings);
    JvmLauncher launcher =
        JvmLauncher.mainClass(AGENT_MAIN)
            .classpath(Artifacts.classpath("agent"))
            .name("agent-" + node)
            .env("MICRONAUT_CONFIG_FILES", config.toString())
            .logFile(logFile("agent-" + node))
            .echo(spec.echo);
    pg.namespace().ifPresent(launcher::inNamespace);
    ChildProcess agent = launcher.start();
    agents.put(node, agent);
    return agent;
  }

  /** Logs outlive the lab (its directory is removed), where the test kit keeps child logs. */
  private Path logFile(String process) {
    return ChildProcess.logDirectory().resolve(spec.cluster + "-" + process + "-" + directory.getFileName() + ".log");
  }

  /**
   * Starts a subscriber process (HAProxy writer, PgBouncer re-pointer, hook) following this lab's
   * master topic, with the given settings (e.g. {@code baton.haproxy.enabled: true}), and waits
   * until it has applied the current master.
   */
  public ChildProcess startSubscriber(String name, Map<String, Object> settings) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("micronaut.server.port", FreePorts.loopback());
    all.put("baton.kafka.bootstrap-servers", bootstrap);
    all.put("baton.kafka.topic-prefix", spec.topicPrefix);
    all.putAll(settings);
    Path config = writeConfig("subscriber-" + name + ".yml", all);
    ChildProcess subscriber =
        JvmLauncher.mainClass(SUBSCRIBER_MAIN)
            .classpath(Artifacts.classpath("subscribers"))
            .name("subscriber-" + name)
            .env("MICRONAUT_CONFIG_FILES", config.toString())
            .logFile(logFile("subscriber-" + name))
            .echo(spec.echo)
            .start();
    subscribers.add(subscriber);
    // Each subscriber applies the current master first and logs it ("... applied in N ms").
    subscriber.awaitLogLine(line -> line.contains(" applied in "), Duration.ofSeconds(60));
    return subscriber;
  }

  private Path writeConfig(String name, Map<String, Object> settings) {
    String yaml =
        settings.entrySet().stream()
            .map(e -> e.getKey() + ": \"" + e.getValue().toString().replace("\"", "\\\"") + "\"")
            .collect(Collectors.joining("\n", "", "\n"));
    Path file = directory.resolve(name);
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  public String cluster() {
    return spec.cluster;
  }

  /** The operator key that signs the lab's enrollments and requests. */
  public OperatorKey operatorKey() {
    return identities.operator();
  }

  /** That key's file, for the CLI's {@code --operator-key}. */
  public Path operatorKeyFile() {
    return identities.operatorKeyFile();
  }

  /** Sends requests signed by the lab's operator; close it when done. */
  public RequestClient requests() {
    return new RequestClient(KafkaConnection.of(bootstrap, spec.topicPrefix), identities.operator());
  }

  public TopicNames topics() {
    return topics;
  }

  /** Bootstrap servers reachable from this JVM. */
  public String bootstrapServers() {
    return bootstrap;
  }

  /**
   * The lab's Kafka brokers, to pause, kill and restart them.
   *
   * @throws IllegalStateException unless the lab was built with {@link Builder#kafkaBrokers(int)}
   */
  public KafkaBrokers kafkaBrokers() {
    return kafka.flatMap(LabKafka::brokers).orElseThrow(() -> new IllegalStateException(
        "this lab's Kafka is not a set of child brokers: build it with kafkaBrokers(n)"));
  }

  public PostgresCluster postgres() {
    return postgres;
  }

  public Optional<NetworkLab> network() {
    return network;
  }

  public Path directory() {
    return directory;
  }

  public ChildProcess coordinator() {
    return coordinator;
  }

  public int coordinatorPort() {
    return coordinatorPort;
  }

  /**
   * The file holding the operator's token for the agents' and the coordinator's APIs (what
   * {@code BATON_API_TOKEN_FILE} names for the CLI); the agents' preStop hooks use a handover
   * token of their own.
   */
  public Path operatorTokenFile() {
    return operatorToken;
  }

  /** How a test calls the APIs as the operator. */
  public ApiAccess operatorAccess() {
    return ApiAccess.fromEnvironment(Map.of(ApiAccess.TOKEN_FILE_VARIABLE, operatorToken.toString()));
  }

  public ChildProcess agent(String node) {
    return agents.get(node);
  }

  /**
   * Runs the agent's {@code handover} command against a node's agent, as a Kubernetes preStop
   * exec hook would, and returns its exit status and output.
   */
  public CommandResult handover(String node, Duration timeout) {
    ChildProcess command =
        JvmLauncher.mainClass(AGENT_MAIN)
            .classpath(Artifacts.classpath("agent"))
            .name("handover-" + node)
            .args("handover", "--url", agentUrl(node), "--timeout", timeout.toSeconds() + "s")
            .env(ApiAccess.TOKEN_FILE_VARIABLE, handoverToken.toString())
            .logFile(logFile("handover-" + node))
            .start();
    int status = command.waitFor(timeout.plusSeconds(30)).orElseThrow(
        () -> new AssertionError("the handover command of " + node + " did not return"));
    return new CommandResult(status, String.join("\n", command.lines()));
  }

  /** What a command printed and how it exited. */
  public record CommandResult(int exitStatus, String output) {}

  /** Stops a node's agent as Kubernetes deletes a pod (SIGTERM: it stops PostgreSQL cleanly). */
  public void stopAgent(String node) {
    ChildProcess agent = agents.get(node);
    agent.signal(io.baton.testkit.process.Signal.TERM);
    agent.waitFor(Duration.ofSeconds(60));
  }

  public String agentUrl(String node) {
    return "http://" + postgres.node(node).host() + ":" + agentPorts.get(node);
  }

  public TopicTail<MasterRecord> masters() {
    return masters;
  }

  public TopicTail<ClusterEvent> events() {
    return events;
  }

  /** Every agent's heartbeats, as appended (the coordinator's clock ticks are skipped). */
  public TopicTail<io.baton.events.Heartbeat> heartbeats() {
    return heartbeats;
  }

  /** The newest master record of this lab's cluster. */
  public Optional<MasterRecord> master() {
    List<MasterRecord> all = masters.values();
    return all.stream().filter(m -> m.cluster().equals(spec.cluster)).reduce((a, b) -> b);
  }

  /** Waits for a master record of this cluster that matches, published from now on or before. */
  public MasterRecord awaitMaster(Predicate<MasterRecord> matching, Duration timeout) {
    return masters
        .await(0, m -> m.cluster().equals(spec.cluster) && matching.test(m), timeout)
        .map(TopicTail.Entry::value)
        .orElseThrow(() -> new AssertionError(
            "no matching master record for " + spec.cluster + " within " + timeout + "; events:\n"
                + describeEvents()));
  }

  public ClusterEvent awaitEvent(int from, EventType type, Predicate<ClusterEvent> matching, Duration timeout) {
    return events
        .await(from, e -> e.cluster().equals(spec.cluster) && e.type() == type && matching.test(e), timeout)
        .map(TopicTail.Entry::value)
        .orElseThrow(() -> new AssertionError(
            "no " + type.wire() + " event within " + timeout + "; events:\n" + describeEvents()));
  }

  public String describeEvents() {
    return events.values().stream()
        .filter(e -> e.cluster().equals(spec.cluster))
        .map(ClusterEvent::logLine)
        .collect(Collectors.joining("\n"));
  }

  /**
   * Waits until the current master has every other node streaming from it, as its {@code
   * pg_stat_replication} shows them and as the newest heartbeats report it (the coordinator
   * decides on heartbeats: a request sent after this is decided on a view at least this fresh),
   * and returns the master.
   */
  public MasterRecord awaitAllStreaming(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no master yet";
    while (System.nanoTime() < deadline) {
      Optional<MasterRecord> master = master();
      if (master.isPresent()) {
        Set<String> expected = new HashSet<>(agents.keySet());
        expected.remove(master.get().node());
        try (Connection c = postgres.superuserConnection(postgres.node(master.get().node()));
            Statement s = c.createStatement();
            ResultSet rs = s.executeQuery(
                "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'")) {
          Set<String> streaming = new HashSet<>();
          while (rs.next()) {
            streaming.add(rs.getString(1));
          }
          if (streaming.containsAll(expected) && reportedStreaming(master.get(), expected)) {
            return master.get();
          }
          last = master.get().node() + " has " + streaming + " streaming, expected " + expected
              + (streaming.containsAll(expected) ? " (not yet reported in heartbeats)" : "");
        } catch (SQLException e) {
          last = "cannot query " + master.get().node() + ": " + e.getMessage();
        }
      }
      sleep(Duration.ofMillis(200));
    }
    throw new AssertionError("not all standbys streaming within " + timeout + ": " + last + "\nevents:\n" + describeEvents());
  }

  private boolean reportedStreaming(MasterRecord master, Set<String> standbys) {
    Map<String, io.baton.events.Heartbeat> newest = new LinkedHashMap<>();
    heartbeats.values().stream()
        .filter(h -> h.cluster().equals(spec.cluster))
        .forEach(h -> newest.put(h.node(), h));
    io.baton.events.Heartbeat primary = newest.get(master.node());
    if (primary == null) {
      return false;
    }
    Set<String> replicas =
        primary.postgres().replicas().stream()
            .filter(io.baton.events.ReplicaStatus::isStreaming)
            .map(io.baton.events.ReplicaStatus::application)
            .collect(Collectors.toSet());
    return replicas.containsAll(standbys)
        && standbys.stream().allMatch(node -> newest.containsKey(node)
            && newest.get(node).postgres().receiver()
                .filter(r -> r.isStreamingFrom(master.host(), master.port())).isPresent());
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    subscribers.forEach(ChildProcess::close);
    agents.values().forEach(ChildProcess::close);
    if (coordinator != null) {
      coordinator.close();
    }
    if (masters != null) {
      masters.close();
    }
    if (events != null) {
      events.close();
    }
    if (heartbeats != null) {
      heartbeats.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    kafka.ifPresent(LabKafka::close);
    network.ifPresent(NetworkLab::close);
    if (!Boolean.getBoolean("baton.lab.keep")) {
      io.baton.testkit.cleanup.Directories.deleteRecursively(directory);
    }
  }
}
