package io.baton.coordinator.trust;

import static io.baton.coordinator.decision.NodeReport.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.coordinator.decision.NodeReport;
import io.baton.coordinator.trust.HeartbeatCheck.Identity;
import io.baton.events.Enrollment;
import io.baton.events.EventCodec;
import io.baton.events.Heartbeat;
import io.baton.events.OperatorRequest;
import io.baton.events.RequestedAction;
import io.baton.events.signing.Ed25519;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The verification rules alone, without Kafka: heartbeats, requests, enrollments, key files. */
class TrustChecksTest {
  private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
  private static final KeyPair ALICE = Ed25519.generate();
  private static final KeyPair BOB = Ed25519.generate();
  private static final KeyPair N1 = Ed25519.generate();
  private static final KeyPair OTHER = Ed25519.generate();
  private static final OperatorKeys KEYS = OperatorKeys.none()
      .with(new OperatorKeys.Operator("alice", ALICE.getPublic(), Optional.empty()))
      .with(new OperatorKeys.Operator("bob", BOB.getPublic(), Optional.of(Set.of("billing"))));

  private static Enrollment n1Enrolled() {
    return Enrollment.signed("orders", "n1", "127.0.0.1", NodeReport.port("n1"),
        Ed25519.encode(N1.getPublic()), "alice", T0, ALICE.getPrivate());
  }

  private static HeartbeatCheck.Verdict check(
      Heartbeat heartbeat, Optional<KeyPair> signer, Identity identity, boolean acceptUnenrolled) {
    byte[] value = EventCodec.write(heartbeat);
    return HeartbeatCheck.verify(heartbeat, value,
        signer.map(key -> Ed25519.sign(key.getPrivate(), value)), identity, acceptUnenrolled);
  }

  private static Refusal.Reason refused(HeartbeatCheck.Verdict verdict) {
    return assertInstanceOf(HeartbeatCheck.Verdict.Refused.class, verdict).refusal().reason();
  }

  @Test
  void aHeartbeatCountsOnlySignedByItsEnrolledKeyFromItsEnrolledAddress() {
    Heartbeat n1 = node("n1").primary("0/3000000").build(1, T0);
    Identity enrolled = new Identity.Enrolled(n1Enrolled());

    assertInstanceOf(HeartbeatCheck.Verdict.Verified.class,
        check(n1, Optional.of(N1), enrolled, false));
    assertEquals(Refusal.Reason.BAD_SIGNATURE, refused(check(n1, Optional.of(OTHER), enrolled, false)));
    assertEquals(Refusal.Reason.UNSIGNED, refused(check(n1, Optional.empty(), enrolled, false)));
    assertEquals(Refusal.Reason.NOT_ENROLLED,
        refused(check(n1, Optional.of(N1), new Identity.Unknown(), false)));
    assertEquals(Refusal.Reason.ENROLLMENT_INVALID,
        refused(check(n1, Optional.of(N1), new Identity.Invalid("why"), false)));
    Heartbeat moved = node("n1").primary("0/3000000").host("10.6.6.6").build(2, T0);
    assertEquals(Refusal.Reason.ADDRESS_MISMATCH,
        refused(check(moved, Optional.of(N1), enrolled, false)));
  }

  @Test
  void aSignatureCoversTheExactValueBytes() {
    Heartbeat n1 = node("n1").primary("0/3000000").build(1, T0);
    byte[] value = EventCodec.write(n1);
    byte[] signature = Ed25519.sign(N1.getPrivate(), value);
    byte[] respelled = EventCodec.writeString(n1).replace("\"node\":\"n1\"", "\"node\": \"n1\"")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(Refusal.Reason.BAD_SIGNATURE, refused(HeartbeatCheck.verify(n1, respelled,
        Optional.of(signature), new Identity.Enrolled(n1Enrolled()), false)));
  }

  @Test
  void anUnverifiedClusterBelievesOnlyItsUnenrolledNodesUnsigned() {
    Heartbeat n1 = node("n1").primary("0/3000000").build(1, T0);
    assertInstanceOf(HeartbeatCheck.Verdict.AcceptedUnenrolled.class,
        check(n1, Optional.empty(), new Identity.Unknown(), true));
    assertEquals(Refusal.Reason.UNSIGNED,
        refused(check(n1, Optional.empty(), new Identity.Enrolled(n1Enrolled()), true)));
  }

  private static RequestCheck.Verdict request(
      String cluster, Optional<KeyPair> key, Optional<String> signer) {
    OperatorRequest request = new OperatorRequest(
        "r1", cluster, "root", T0, new RequestedAction.SetMaintenance(true));
    byte[] value = EventCodec.write(request);
    return RequestCheck.verify(request, value,
        key.map(k -> Ed25519.sign(k.getPrivate(), value)), signer, KEYS);
  }

  private static Refusal.Reason refused(RequestCheck.Verdict verdict) {
    return assertInstanceOf(RequestCheck.Verdict.Refused.class, verdict).refusal().reason();
  }

  @Test
  void aRequestCountsOnlySignedByAKnownOperatorAllowedForItsCluster() {
    RequestCheck.Verdict alice = request("orders", Optional.of(ALICE), Optional.of("alice"));
    assertEquals("alice", assertInstanceOf(RequestCheck.Verdict.Verified.class, alice)
        .request().requestedBy(), "the key's operator, not the request's own word");
    assertEquals("bob", assertInstanceOf(RequestCheck.Verdict.Verified.class,
        request("billing", Optional.of(BOB), Optional.of("bob"))).request().requestedBy());

    assertEquals(Refusal.Reason.UNSIGNED, refused(request("orders", Optional.empty(), Optional.empty())));
    assertEquals(Refusal.Reason.UNSIGNED, refused(request("orders", Optional.of(ALICE), Optional.empty())));
    assertEquals(Refusal.Reason.BAD_SIGNATURE,
        refused(request("orders", Optional.of(BOB), Optional.of("alice"))));
    assertEquals(Refusal.Reason.UNKNOWN_OPERATOR,
        refused(request("orders", Optional.of(OTHER), Optional.of("mallory"))));
    assertEquals(Refusal.Reason.OPERATOR_NOT_ALLOWED,
        refused(request("orders", Optional.of(BOB), Optional.of("bob"))));
  }

  @Test
  void anEnrollmentCountsOnlyUnderItsKeyAndSignedByAnOperatorAllowedForItsCluster() {
    Enrollment good = n1Enrolled();
    assertEquals(Optional.empty(), EnrollmentCheck.problem("orders/n1", good, KEYS));
    assertTrue(EnrollmentCheck.problem("orders/n2", good, KEYS).orElseThrow()
        .contains("under the key orders/n2"));
    Enrollment byMallory = Enrollment.signed("orders", "n1", "127.0.0.1", 5431,
        Ed25519.encode(N1.getPublic()), "mallory", T0, OTHER.getPrivate());
    assertTrue(EnrollmentCheck.problem("orders/n1", byMallory, KEYS).orElseThrow()
        .contains("do not list"));
    Enrollment forgedAlice = Enrollment.signed("orders", "n1", "127.0.0.1", 5431,
        Ed25519.encode(N1.getPublic()), "alice", T0, OTHER.getPrivate());
    assertTrue(EnrollmentCheck.problem("orders/n1", forgedAlice, KEYS).orElseThrow()
        .contains("signature is not alice's"));
    Enrollment byBob = Enrollment.signed("orders", "n1", "127.0.0.1", 5431,
        Ed25519.encode(N1.getPublic()), "bob", T0, BOB.getPrivate());
    assertTrue(EnrollmentCheck.problem("orders/n1", byBob, KEYS).orElseThrow()
        .contains("may not act on cluster orders"));
    Enrollment moved = new Enrollment(good.version(), "orders", "n1", "10.6.6.6", good.port(),
        good.publicKey(), "alice", good.enrolledAt(), good.signature());
    assertTrue(EnrollmentCheck.problem("orders/n1", moved, KEYS).orElseThrow()
        .contains("signature is not alice's"), "the address is signed too");
  }

  @Test
  void theOperatorKeysFileNamesOperatorsTheirKeysAndTheirClusters() {
    OperatorKeys keys = OperatorKeys.parse("""
        # operators of the orders team
        alice %s
        bob   %s  billing,orders   # on call

        """.formatted(Ed25519.encode(ALICE.getPublic()), Ed25519.encode(BOB.getPublic())));
    assertEquals(Set.of("alice", "bob"), keys.operators().keySet());
    assertTrue(keys.operator("alice").orElseThrow().allows("anything"));
    assertTrue(keys.operator("bob").orElseThrow().allows("orders"));
    assertTrue(!keys.operator("bob").orElseThrow().allows("payments"));

    String key = Ed25519.encode(ALICE.getPublic());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> OperatorKeys.parse("alice " + key + "\nalice " + key)).getMessage()
        .startsWith("line 2: operator alice is listed twice"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> OperatorKeys.parse("alice notakey")).getMessage().startsWith("line 1: 'notakey'"));
    assertThrows(IllegalArgumentException.class, () -> OperatorKeys.parse("Alice " + key));
    assertThrows(IllegalArgumentException.class, () -> OperatorKeys.parse("alice " + key + " Or"));
    assertThrows(IllegalArgumentException.class, () -> OperatorKeys.parse("alice"));
  }

  @Test
  void aRefusalIsToldOncePerIntervalPerClusterSubjectAndReason() {
    RefusalThrottle throttle = new RefusalThrottle(java.time.Duration.ofMinutes(1));
    Refusal forged = new Refusal(Refusal.Reason.BAD_SIGNATURE, "n1", "x");
    assertTrue(throttle.shouldTell("orders", forged, T0));
    assertTrue(!throttle.shouldTell("orders", forged, T0.plusSeconds(59)));
    assertTrue(throttle.shouldTell("billing", forged, T0.plusSeconds(59)));
    assertTrue(throttle.shouldTell("orders",
        new Refusal(Refusal.Reason.UNSIGNED, "n1", "x"), T0.plusSeconds(59)));
    assertTrue(throttle.shouldTell("orders", forged, T0.plusSeconds(60)));
  }
}
