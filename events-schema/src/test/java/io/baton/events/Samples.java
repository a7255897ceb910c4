package io.baton.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** One event of every kind and variant: with every optional field set, and with none. */
final class Samples {
  static final Instant T0 = Instant.parse("2026-11-21T12:00:00.250Z");

  private Samples() {}

  static Heartbeat primaryHeartbeat() {
    return new Heartbeat(
        "orders", "n1", "3f1c0a52-9e61-4a3e-9a43-2c1f1c6c7d10", 42, T0,
        new PostgresStatus(
            Health.UP, Role.PRIMARY, "127.0.0.1", 5433, OptionalLong.of(2),
            Optional.of(Lsn.parse("0/3000148")), Optional.empty(), Optional.empty(),
            Optional.empty(),
            List.of(
                new ReplicaStatus(
                    "n2", Optional.of("127.0.0.1"), "streaming", "sync",
                    Optional.of(Lsn.parse("0/3000148")), Optional.of(Lsn.parse("0/3000148")),
                    Optional.of(Lsn.parse("0/3000148")), Optional.of(Lsn.parse("0/3000100")))),
            Optional.of("FIRST 1 (\"n2\")"), Optional.of("15.18"),
            Optional.of("7312345678901234567"), Optional.empty(), Optional.empty()),
        new AgentStatus(
            Optional.of(new AssignmentRef(3, 17, "primary")), Convergence.CONVERGED,
            "primary, accepting writes", false, false, OptionalLong.empty(), Optional.empty(),
            Duration.ofSeconds(3), 100, false, Optional.of("http://127.0.0.1:8008"),
            Optional.of("5d0c2a7e-handover")));
  }

  static Heartbeat standbyHeartbeat() {
    return new Heartbeat(
        "orders", "n2", "b3d2", 7, T0,
        new PostgresStatus(
            Health.UP, Role.STANDBY, "127.0.0.1", 5434, OptionalLong.of(2), Optional.empty(),
            Optional.of(Lsn.parse("0/3000148")), Optional.of(Lsn.parse("0/3000100")),
            Optional.of(
                new ReceiverStatus(
                    "streaming", Optional.of("127.0.0.1"), OptionalInt.of(5433),
                    OptionalLong.of(2))),
            List.of(), Optional.empty(), Optional.of("15.18"),
            Optional.of("7312345678901234567"), Optional.empty(), Optional.empty()),
        new AgentStatus(
            Optional.of(new AssignmentRef(3, 18, "standby")), Convergence.CONVERGED,
            "streaming from n1", false, true, OptionalLong.of(12),
            Optional.of(Lsn.parse("0/2FFFF00")), Duration.ofMillis(2500), 50, true,
            Optional.empty(), Optional.empty()));
  }

  static Heartbeat downHeartbeat() {
    PostgresStatus down =
        PostgresStatus.unobserved(Health.DOWN, "10.77.0.11", 5432, "connection refused")
            .withDataDirectory(
                new DataDirectoryStatus(
                    "in production", Lsn.parse("0/2000060"), 1, "7312345678901234567", false));
    return new Heartbeat(
        "orders", "n3", "c4", 0, T0, down,
        new AgentStatus(
            Optional.empty(), Convergence.UNASSIGNED, "no assignment yet", false, false,
            OptionalLong.empty(), Optional.empty(), Duration.ofSeconds(3), 100, false,
            Optional.empty(), Optional.empty()));
  }

  static MasterRecord master() {
    return new MasterRecord(
        "orders", 3, "n2", "127.0.0.1", 5434, 3, Lsn.parse("0/3000148"), T0,
        "failover: primary n1 lost (no heartbeat for 5.1 s of broker time)");
  }

  static Assignment primaryAssignment() {
    return new Assignment(
        "orders", "n2", 3, 19,
        new Goal.Primary(List.of("n3", "n1"), 1, Optional.of(Lsn.parse("0/3000148")))
            .promotingAbove(4),
        Duration.ofSeconds(5), "switchover to n2: n1 drained at 0/3000148", T0);
  }

  static Assignment asyncPrimaryAssignment() {
    return new Assignment(
        "orders", "n1", 1, 1, Goal.Primary.asynchronous(), Duration.ofSeconds(5),
        "adopted: the only node reporting itself primary", T0);
  }

  static Assignment standbyAssignment() {
    return new Assignment(
        "orders", "n3", 3, 20, new Goal.Standby(new Upstream("n2", "127.0.0.1", 5434)),
        Duration.ofSeconds(5), "follow the new primary n2", T0);
  }

  static Assignment drainedAssignment() {
    return new Assignment(
        "orders", "n1", 2, 18, new Goal.Drained(), Duration.ofSeconds(5),
        "switchover to n2: drain the primary", T0);
  }

  static Assignment stoppedAssignment() {
    return new Assignment(
        "orders", "n1", 2, 21, new Goal.Stopped(), Duration.ofSeconds(5),
        "primary n1 unhealthy for 5 s: stop it before promoting a standby", T0);
  }

  static OperatorRequest switchoverRequest() {
    return new OperatorRequest(
        "9b2e", "orders", "handover:n1", T0,
        new RequestedAction.Switchover(Optional.of("n1"), Optional.of("n2")));
  }

  static OperatorRequest anySwitchoverRequest() {
    return new OperatorRequest(
        "9b2f", "orders", "cli", T0,
        new RequestedAction.Switchover(Optional.empty(), Optional.empty()));
  }

  static OperatorRequest failoverRequest() {
    return new OperatorRequest(
        "9b30", "orders", "cli", T0, new RequestedAction.Failover(Optional.of("n3"), true));
  }

  static OperatorRequest modeRequest() {
    return new OperatorRequest(
        "9b31", "orders", "http", T0,
        new RequestedAction.SetReplicationMode(ReplicationMode.STRICT_SYNC));
  }

  static OperatorRequest maintenanceRequest() {
    return new OperatorRequest(
        "9b32", "orders", "cli", T0, new RequestedAction.SetMaintenance(true));
  }

  static ClusterEvent event() {
    return new ClusterEvent(
        "orders", T0, 3, EventType.SWITCHOVER_COMPLETED, Optional.of("n2"),
        "switchover to n2 completed in 0.62 s", Optional.of("9b2e"),
        Optional.of(RequestOutcome.COMPLETED), Optional.empty());
  }

  static ClusterEvent refusal() {
    return new ClusterEvent(
        "orders", T0, 3, EventType.SWITCHOVER_REFUSED, Optional.empty(),
        "switchover refused: another operation is in progress: failover from n1",
        Optional.of("9b2f"), Optional.of(RequestOutcome.REFUSED), Optional.of(Reason.BUSY));
  }

  static ClusterEvent bareEvent() {
    return new ClusterEvent(
        "orders", T0, 0, EventType.NODE_DISCOVERED, Optional.empty(), "first heartbeat from n1",
        Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A fixed operator key, so that the sample is the same every run. */
  static final java.security.KeyPair OPERATOR = fixedKey((byte) 7);
  static final java.security.KeyPair NODE = fixedKey((byte) 9);

  static Enrollment enrollment() {
    return Enrollment.signed(
        "orders", "n2", "127.0.0.1", 5434,
        io.baton.events.signing.Ed25519.encode(NODE.getPublic()), "alice", T0,
        OPERATOR.getPrivate());
  }

  private static java.security.KeyPair fixedKey(byte fill) {
    byte[] pkcs8 = java.util.HexFormat.of().parseHex("302e020100300506032b657004220420");
    byte[] der = java.util.Arrays.copyOf(pkcs8, pkcs8.length + 32);
    java.util.Arrays.fill(der, pkcs8.length, der.length, fill);
    java.security.PrivateKey key = io.baton.events.signing.Ed25519.parsePrivateKey(der);
    return new java.security.KeyPair(io.baton.events.signing.Ed25519.publicKeyOf(key), key);
  }

  static ClockTick tick() {
    return new ClockTick("coordinator-1");
  }

  /** Every sample, with the schema file that describes it. */
  static Map<Object, String> all() {
    return Map.ofEntries(
        Map.entry(primaryHeartbeat(), "heartbeat"),
        Map.entry(standbyHeartbeat(), "heartbeat"),
        Map.entry(downHeartbeat(), "heartbeat"),
        Map.entry(master(), "master-record"),
        Map.entry(primaryAssignment(), "assignment"),
        Map.entry(asyncPrimaryAssignment(), "assignment"),
        Map.entry(standbyAssignment(), "assignment"),
        Map.entry(drainedAssignment(), "assignment"),
        Map.entry(stoppedAssignment(), "assignment"),
        Map.entry(switchoverRequest(), "operator-request"),
        Map.entry(anySwitchoverRequest(), "operator-request"),
        Map.entry(failoverRequest(), "operator-request"),
        Map.entry(modeRequest(), "operator-request"),
        Map.entry(maintenanceRequest(), "operator-request"),
        Map.entry(event(), "cluster-event"),
        Map.entry(refusal(), "cluster-event"),
        Map.entry(bareEvent(), "cluster-event"),
        Map.entry(tick(), "clock-tick"),
        Map.entry(enrollment(), "enrollment"));
  }
}
