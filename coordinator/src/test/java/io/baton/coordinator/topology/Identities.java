package io.baton.coordinator.topology;

import io.baton.coordinator.decision.NodeReport;
import io.baton.coordinator.trust.OperatorKeys;
import io.baton.coordinator.trust.TrustSettings;
import io.baton.events.Enrollment;
import io.baton.events.EventCodec;
import io.baton.events.Heartbeat;
import io.baton.events.OperatorRequest;
import io.baton.events.signing.Ed25519;
import io.baton.events.signing.SignatureHeaders;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The keys of a test deployment: operator alice (every cluster), operator bob (cluster billing
 * only), and a key per enrolled node, made on first use; and records signed with them.
 */
final class Identities {
  static final KeyPair ALICE = Ed25519.generate();
  static final KeyPair BOB = Ed25519.generate();
  static final KeyPair MALLORY = Ed25519.generate();

  private final Map<String, KeyPair> nodes = new HashMap<>();

  static TrustSettings trust(Set<String> unverifiedClusters) {
    OperatorKeys keys = OperatorKeys.none()
        .with(new OperatorKeys.Operator("alice", ALICE.getPublic(), Optional.empty()))
        .with(new OperatorKeys.Operator("bob", BOB.getPublic(), Optional.of(Set.of("billing"))));
    return new TrustSettings(keys, unverifiedClusters);
  }

  static TrustSettings trust() {
    return trust(Set.of());
  }

  KeyPair node(String cluster, String node) {
    return nodes.computeIfAbsent(Enrollment.key(cluster, node), key -> Ed25519.generate());
  }

  /** The enrollment of a node at 127.0.0.1 and its NodeReport port, by alice. */
  TestRecord<String, byte[]> enrollment(String cluster, String node, Instant at) {
    return enrollment(cluster, node, "127.0.0.1", NodeReport.port(node), ALICE, "alice", at);
  }

  TestRecord<String, byte[]> enrollment(
      String cluster, String node, String host, int port, KeyPair operatorKey, String operator,
      Instant at) {
    Enrollment enrollment = Enrollment.signed(
        cluster, node, host, port, Ed25519.encode(node(cluster, node).getPublic()), operator, at,
        operatorKey.getPrivate());
    return new TestRecord<>(enrollment.key(), EventCodec.write(enrollment), at);
  }

  /** A heartbeat signed by the node it names. */
  TestRecord<String, byte[]> heartbeat(Heartbeat heartbeat, Instant at) {
    return heartbeat(heartbeat, node(heartbeat.cluster(), heartbeat.node()), at);
  }

  static TestRecord<String, byte[]> heartbeat(Heartbeat heartbeat, KeyPair signer, Instant at) {
    byte[] value = EventCodec.write(heartbeat);
    RecordHeaders headers = new RecordHeaders();
    headers.add(SignatureHeaders.SIGNATURE, Ed25519.sign(signer.getPrivate(), value));
    return new TestRecord<>(heartbeat.cluster(), value, headers, at);
  }

  static TestRecord<String, byte[]> unsigned(Heartbeat heartbeat, Instant at) {
    return new TestRecord<>(heartbeat.cluster(), EventCodec.write(heartbeat), at);
  }

  /** A request signed by alice. */
  static TestRecord<String, byte[]> request(OperatorRequest request, Instant at) {
    return request(request, ALICE, "alice", at);
  }

  static TestRecord<String, byte[]> request(
      OperatorRequest request, KeyPair key, String signer, Instant at) {
    byte[] value = EventCodec.write(request);
    RecordHeaders headers = new RecordHeaders();
    headers.add(SignatureHeaders.SIGNATURE, Ed25519.sign(key.getPrivate(), value));
    headers.add(SignatureHeaders.SIGNER, signer.getBytes(StandardCharsets.UTF_8));
    return new TestRecord<>(request.cluster(), value, headers, at);
  }
}
