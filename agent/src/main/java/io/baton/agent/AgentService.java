package io.baton.agent;

import io.baton.agent.assignment.AssignmentFollower;
import io.baton.agent.config.AgentConfig;
import io.baton.runtime.KafkaConfig;
import io.baton.agent.config.PostgresConfig;
import io.baton.agent.fencing.Lease;
import io.baton.agent.fencing.Watchdog;
import io.baton.agent.handover.Handover;
import io.baton.agent.heartbeat.HeartbeatPublisher;
import io.baton.agent.identity.NodeKey;
import io.baton.agent.clock.Clocks;
import io.baton.agent.postgres.LocalPostgres;
import io.baton.agent.postgres.PostgresException;
import io.baton.agent.postgres.PostgresSettings;
import io.baton.agent.postgres.SslMode;
import io.baton.agent.supervisor.AgentSettings;
import io.baton.agent.supervisor.Supervisor;
import io.baton.client.kafka.KafkaConnection;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the agent together and runs its start sequence in the background (the HTTP API answers
 * "starting" meanwhile): Kafka's heartbeats topic must exist with broker append time, this node's
 * assignments are read to their end, and only then does the supervisor start deciding.
 */
@Context
public final class AgentService {
  private static final Logger LOG = LoggerFactory.getLogger(AgentService.class);

  private final AgentConfig config;
  private final KafkaConnection kafka;
  private final LocalPostgres postgres;
  private final Lease lease;
  private final Watchdog watchdog;
  private final HeartbeatPublisher heartbeats;
  private final AssignmentFollower assignments;
  private final Supervisor supervisor;
  private final NodeKey key;
  private final Thread starter;
  private volatile boolean started;

  public AgentService(
      AgentConfig config, PostgresConfig pg, KafkaConfig kafkaConfig,
      @Value("${micronaut.server.port:8008}") int apiPort) {
    this.config = config;
    this.kafka = kafkaConfig.connection();
    try {
      Files.createDirectories(config.stateDirectory());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the agent state directory " + config.stateDirectory(), e);
    }
    this.key = NodeKey.loadOrCreate(config.keyFile(), config.stateDirectory());
    LOG.info("cluster={} node={} {} node key {}: enroll it with baton enroll {} {} --host {}"
            + " --port {} --public-key FILE (baton-agent print-public-key prints FILE)",
        config.cluster(), config.node(), key.created() ? "made a new" : "signs with the",
        key, config.cluster(), config.node(), pg.host(), pg.port());
    AgentSettings settings =
        new AgentSettings(
            config.cluster(), config.node(), config.priority(), config.noFailover(),
            config.heartbeatInterval(), config.observeInterval(), config.fenceAfter(),
            config.catchUpTimeout(), config.rewindAfter(),
            Optional.of(config.advertisedApiUrl().orElse("http://" + pg.host() + ":" + apiPort)));
    this.postgres = new LocalPostgres(postgresSettings(config, pg));
    try {
      this.watchdog =
          Watchdog.start(
              // This process holds no lease yet: whatever may accept writes is fenced from now
              // until a heartbeat is acknowledged, even if Kafka is never reached.
              pg.dataDirectory(), config.fenceAfter(), System.nanoTime(), config.watchdogDevice(),
              config.stateDirectory().resolve("watchdog.log"), pid -> watchdogFenced());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fencing watchdog", e);
    }
    // Every acknowledgement moves the watchdog's deadline at once, not when the loop is free.
    this.lease = new Lease(config.fenceAfter(), watchdog::arm);
    this.assignments = new AssignmentFollower(kafka, config.cluster(), config.node(), this::wake);
    this.heartbeats = new HeartbeatPublisher(kafka, lease, key.privateKey());
    this.supervisor =
        new Supervisor(settings, postgres, assignments, lease, heartbeats, Clocks.SYSTEM);
    postgres.onPostmasterExit(this::wake);
    LOG.info(
        "agent cluster={} node={} starting: {}, PostgreSQL {} at {}:{}, fence-after {}, heartbeat every {}",
        config.cluster(), config.node(), kafka.describe(), pg.dataDirectory(), pg.host(), pg.port(),
        config.fenceAfter(), config.heartbeatInterval());
    this.starter = new Thread(this::startInOrder, "baton-agent-start");
    starter.setDaemon(true);
    starter.start();
  }

  private static PostgresSettings postgresSettings(AgentConfig config, PostgresConfig pg) {
    PostgresSettings.Builder settings =
        PostgresSettings.builder(config.node(), pg.dataDirectory(), config.stateDirectory())
            .binDir(pg.binDirectory())
            .host(pg.host())
            .port(pg.port())
            .socketDir(pg.socketDirectory().orElse(config.stateDirectory()))
            .user(pg.user())
            .password(pg.resolvePassword())
            .sslMode(SslMode.of(pg.sslMode()))
            .database(pg.database())
            .parameters(pg.parameters().orElse(Map.of()))
            .startTimeout(pg.startTimeout())
            .stopTimeout(pg.stopTimeout())
            .rewindTimeout(pg.rewindTimeout())
            .walSenderTimeout(pg.walSenderTimeout())
            .walReceiverTimeout(pg.walReceiverTimeout());
    pg.listenAddresses().ifPresent(settings::listenAddresses);
    pg.osUser().ifPresent(settings::osUser);
    pg.sslRootCertFile().ifPresent(settings::sslRootCert);
    return settings.build();
  }

  private void startInOrder() {
    try {
      awaitHeartbeatsTopic();
      assignments.start();
      while (!assignments.awaitCaughtUp(Duration.ofSeconds(10))) {
        LOG.warn("still reading this node's assignments from {} ({})", kafka.topics().assignments(), kafka.describe());
      }
      supervisor.start();
      started = true;
      LOG.info("agent cluster={} node={} deciding", config.cluster(), config.node());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("agent cluster={} node={} cannot start: {}", config.cluster(), config.node(), e.getMessage(), e);
      System.exit(78);
    }
  }

  /**
   * The lease and the coordinator's failure detection both assume the broker's append time on
   * heartbeats: with producer time the agent would fence on a clock, not on acknowledgements.
   */
  private void awaitHeartbeatsTopic() throws InterruptedException {
    String topic = kafka.topics().heartbeats();
    try (Admin admin = Admin.create(kafka.properties())) {
      long warnedAt = 0;
      while (true) {
        try {
          ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
          Map<ConfigResource, Config> configs =
              admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS);
          String type = configs.get(resource).get("message.timestamp.type").value();
          if (!type.equals("LogAppendTime")) {
            throw new IllegalStateException(
                "topic " + topic + " has message.timestamp.type=" + type + "; the agent needs"
                    + " LogAppendTime (the coordinator creates its topics that way)");
          }
          return;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          if (System.nanoTime() - warnedAt > Duration.ofSeconds(5).toNanos()) {
            LOG.warn("waiting for topic {} ({}): {}; the coordinator creates it",
                topic, kafka.describe(), e.getCause() == null ? e.toString() : e.getCause().getMessage());
            warnedAt = System.nanoTime();
          }
          Thread.sleep(500);
        }
      }
    }
  }

  private void wake() {
    Supervisor s = supervisor;
    if (s != null) {
      s.wake();
    }
  }

  private void watchdogFenced() {
    Supervisor s = supervisor;
    if (s != null) {
      s.watchdogFenced();
    }
  }

  public boolean started() {
    return started;
  }

  public Supervisor supervisor() {
    return supervisor;
  }

  public Handover.Result handover(Duration deadline) {
    Duration bounded = deadline.compareTo(config.handoverDeadline()) > 0 ? config.handoverDeadline() : deadline;
    if (!started) {
      return new Handover.Result(false, "the agent is still starting", 1);
    }
    return new Handover(config.cluster(), config.node(), supervisor, kafka,
        config.leavingExpiresAfter()).run(bounded);
  }

  @PreDestroy
  void stop() {
    LOG.info("agent cluster={} node={} stopping", config.cluster(), config.node());
    starter.interrupt();
    supervisor.close();
    assignments.close();
    if (config.stopPostgresOnExit() && postgres.postmasterPid().isPresent()) {
      try {
        postgres.stopCleanly();
      } catch (PostgresException e) {
        LOG.warn("could not stop PostgreSQL cleanly: {}", e.getMessage());
      }
    }
    if (postgres.possiblyWritable()) {
      // Left running (stop-postgres-on-exit: false, or the stop failed): no heartbeat renews its
      // lease from now on, so the watchdog stays and fences it when the lease runs out.
      LOG.warn("cluster={} node={} PostgreSQL may accept writes and stays running: the watchdog"
          + " fences it when the lease runs out", config.cluster(), config.node());
      watchdog.detach();
    } else {
      watchdog.close();
    }
    heartbeats.close();
  }
}
