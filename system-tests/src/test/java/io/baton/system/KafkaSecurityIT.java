package io.baton.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.agent.fencing.Lease;
import io.baton.agent.heartbeat.HeartbeatPublisher;
import io.baton.client.kafka.KafkaConnection;
import io.baton.client.keys.OperatorKey;
import io.baton.client.operator.EventAnswers;
import io.baton.client.operator.Enroller;
import io.baton.client.operator.RequestClient;
import io.baton.coordinator.topology.TopicSetup;
import io.baton.events.AgentStatus;
import io.baton.events.Convergence;
import io.baton.events.Enrollment;
import io.baton.events.EventCodec;
import io.baton.events.Health;
import io.baton.events.Heartbeat;
import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.events.OperatorRequest;
import io.baton.events.PostgresStatus;
import io.baton.events.RequestedAction;
import io.baton.events.TopicNames;
import io.baton.events.signing.Ed25519;
import io.baton.testkit.kafka.EmbeddedKafka;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka security end to end (issue 9): a real broker with SASL/SCRAM and the KRaft {@code
 * StandardAuthorizer}, the ACLs of {@code deploy/kafka/acls.sh} applied as the script grants
 * them. An agent's principal gets its heartbeats through and reads what it needs, and the broker
 * refuses it everything that moves a primary elsewhere: the master, assignments, requests and
 * enrollments topics. Operators write requests and enrollments; the coordinator writes master.
 *
 * <p>The broker's own listener (loopback) takes SASL/SCRAM; a second listener on 127.0.0.2 stays
 * plaintext, and its anonymous principal is the super user this test administers the broker as
 * (SCRAM users, topics, ACLs), as an administrator's own credentials would.
 */
class KafkaSecurityIT {
  private static final String ADMIN_ADDRESS = "127.0.0.2";
  private static final TopicNames TOPICS = new TopicNames("sec.");
  private static final Map<String, String> PASSWORDS = Map.of(
      "agent", UUID.randomUUID().toString(), "coordinator", UUID.randomUUID().toString(),
      "alice", UUID.randomUUID().toString());
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startASecuredBroker() throws Exception {
    kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults()
        .withExtraListener(ADMIN_ADDRESS)
        .withBrokerConfig("listener.security.protocol.map",
            "PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT,EXTRA1:PLAINTEXT")
        .withBrokerConfig("inter.broker.listener.name", "EXTRA1")
        .withBrokerConfig("sasl.enabled.mechanisms", "SCRAM-SHA-256")
        .withBrokerConfig("listener.name.plaintext.scram-sha-256.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required;")
        .withBrokerConfig("authorizer.class.name",
            "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        .withBrokerConfig("allow.everyone.if.no.acl.found", "false")
        .withBrokerConfig("super.users", "User:ANONYMOUS"));
    try (Admin admin = Admin.create(Map.of(
        "bootstrap.servers", kafka.bootstrapServersFor(ADMIN_ADDRESS)))) {
      for (Map.Entry<String, String> user : PASSWORDS.entrySet()) {
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user.getKey(),
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), user.getValue())))
            .all().get(30, TimeUnit.SECONDS);
      }
      TopicSetup.ensure(admin, TOPICS, new TopicSetup.Spec(
          1, Optional.of((short) 1), Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(1)));
      admin.createAcls(AclScript.grants(AclScript.script(), "--prefix", TOPICS.prefix(), "--coordinator", "User:coordinator",
              "--agent", "User:agent", "--operator", "User:alice"))
          .all().get(30, TimeUnit.SECONDS);
    }
    // SCRAM users and ACLs reach the authorizer through the metadata log: wait until the agent
    // can do what it does first, check that the heartbeats topic carries broker append time.
    try (Admin agent = Admin.create(as("agent").properties())) {
      ConfigResource heartbeats = new ConfigResource(ConfigResource.Type.TOPIC, TOPICS.heartbeats());
      Config config = eventually(() -> agent.describeConfigs(List.of(heartbeats)).all()
          .get(10, TimeUnit.SECONDS).get(heartbeats));
      assertEquals("LogAppendTime", config.get("message.timestamp.type").value());
    }
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** How a Baton process of this principal connects: SASL/SCRAM over the broker's listener. */
  private static KafkaConnection as(String user) {
    Map<String, String> properties = new HashMap<>();
    properties.put("security.protocol", "SASL_PLAINTEXT");
    properties.put("sasl.mechanism", "SCRAM-SHA-256");
    properties.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule"
        + " required username=\"" + user + "\" password=\"" + PASSWORDS.get(user) + "\";");
    return new KafkaConnection(kafka.bootstrapServers(), TOPICS, properties);
  }

  @Test
  void anAgentsHeartbeatsAreAcknowledgedAndItReadsItsAssignmentsAndTheAnswers() throws Exception {
    KeyPair node = Ed25519.generate();
    Lease lease = new Lease(Duration.ofSeconds(3), deadline -> {});
    try (HeartbeatPublisher heartbeats =
        new HeartbeatPublisher(as("agent"), lease, node.getPrivate())) {
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      long sequence = 0;
      while (lease.deadlineNanos().isEmpty() && System.nanoTime() < deadline) {
        heartbeats.publish(heartbeat(sequence++));
        Thread.sleep(500);
      }
      assertTrue(lease.deadlineNanos().isPresent(), "no heartbeat acknowledged within " + PATIENCE);
    }
    try (KafkaConsumer<String, byte[]> assignments = consumer(as("agent"))) {
      TopicPartition partition = new TopicPartition(TOPICS.assignments(), 0);
      assignments.assign(List.of(partition));
      assignments.seekToBeginning(List.of(partition));
      assignments.poll(Duration.ofSeconds(1));
    }
    try (EventAnswers answers = EventAnswers.openAtEnd(as("agent"), "orders")) {
      assertFalse(answers.await("h1", Instant.now().plusMillis(300), event -> {}).finished());
    }
  }

  /** The findings 1 and 2 at the broker: an agent credential moves no primary elsewhere. */
  @Test
  void theBrokerRefusesAnAgentEverythingButHeartbeats() throws Exception {
    Map<String, byte[]> forged = Map.of(
        TOPICS.master(), EventCodec.write(new MasterRecord("orders", 99, "n9", "10.6.6.6", 5432, 9,
            Lsn.parse("0/9000000"), Instant.now(), "forged")),
        TOPICS.assignments(), "{}".getBytes(),
        TOPICS.requests(), EventCodec.write(new OperatorRequest("r1", "orders", "root",
            Instant.now(), new RequestedAction.Failover(Optional.of("n9"), true))),
        TOPICS.enrollments(), EventCodec.write(Enrollment.signed("orders", "n9", "10.6.6.6", 5432,
            Ed25519.encode(Ed25519.generate().getPublic()), "mallory", Instant.now(),
            Ed25519.generate().getPrivate())));
    try (KafkaProducer<String, byte[]> producer = producer(as("agent"))) {
      for (Map.Entry<String, byte[]> write : forged.entrySet()) {
        assertRefused(() -> producer.send(new ProducerRecord<>(write.getKey(), "orders",
            write.getValue())).get(30, TimeUnit.SECONDS), "agent writing " + write.getKey());
      }
    }
    try (KafkaConsumer<String, byte[]> heartbeats = consumer(as("agent"))) {
      heartbeats.assign(List.of(new TopicPartition(TOPICS.heartbeats(), 0)));
      assertRefused(() -> heartbeats.poll(Duration.ofSeconds(5)),
          "agent reading other nodes' heartbeats (material to replay)");
    }
  }

  /** The same ACLs are not a wall of refusals: each principal does what it is for. */
  @Test
  void operatorsWriteRequestsAndEnrollmentsAndTheCoordinatorWritesTheMaster() throws Exception {
    OperatorKey alice = new OperatorKey("alice", Ed25519.generate().getPrivate());
    Enrollment enrollment = eventually(() -> Enroller.enroll(as("alice"), alice, "orders", "n1",
        "127.0.0.1", 5432, Ed25519.generate().getPublic(), PATIENCE));
    assertEquals("alice", enrollment.enrolledBy());
    try (RequestClient requests = new RequestClient(as("alice"), alice)) {
      RequestClient.Answer answer = eventually(() -> requests.submit(
          "orders", new RequestedAction.SetMaintenance(true), Duration.ofSeconds(2), e -> {}));
      assertFalse(answer.finished(), "sent; no coordinator runs here to answer");
    }
    try (KafkaProducer<String, byte[]> producer = producer(as("coordinator"))) {
      eventually(() -> producer.send(new ProducerRecord<>(TOPICS.master(), "orders",
          EventCodec.write(new MasterRecord("orders", 1, "n1", "127.0.0.1", 5432, 1,
              Lsn.parse("0/3000000"), Instant.now(), "adopted")))).get(30, TimeUnit.SECONDS));
    }
  }

  private static Heartbeat heartbeat(long sequence) {
    return new Heartbeat("orders", "n1", "i1", sequence, Instant.now(),
        PostgresStatus.unobserved(Health.DOWN, "127.0.0.1", 5432, "starting"),
        new AgentStatus(Optional.empty(), Convergence.UNASSIGNED, "starting", false, false,
            OptionalLong.empty(), Optional.empty(), Duration.ofSeconds(3), 100, false,
            Optional.empty(), Optional.empty()));
  }

  private interface Attempt<T> {
    T run() throws Exception;
  }

  /** Refused by the broker's authorizer, whether at send, in the future or at poll. */
  private static void assertRefused(Attempt<?> attempt, String what) {
    try {
      attempt.run();
    } catch (Exception e) {
      Throwable cause = e;
      while (cause != null && !(cause instanceof TopicAuthorizationException)) {
        cause = cause.getCause();
      }
      assertTrue(cause != null, what + ": refused, but not by the authorizer: " + e);
      return;
    }
    throw new AssertionError(what + ": the broker accepted it");
  }

  /** SCRAM users and ACLs reach the broker's authorizer through the metadata log: retry. */
  private static <T> T eventually(Attempt<T> attempt) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      try {
        return attempt.run();
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  private static KafkaProducer<String, byte[]> producer(KafkaConnection connection) {
    var props = connection.properties();
    props.put("max.block.ms", "10000");
    props.put("delivery.timeout.ms", "20000");
    props.put("request.timeout.ms", "10000");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<String, byte[]> consumer(KafkaConnection connection) {
    var props = connection.properties();
    props.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
