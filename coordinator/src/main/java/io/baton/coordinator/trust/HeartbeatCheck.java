package io.baton.coordinator.trust;

import io.baton.events.Enrollment;
import io.baton.events.Heartbeat;
import io.baton.events.signing.Ed25519;
import java.util.Optional;

/**
 * Whether a heartbeat comes from the node it names: signed, over its exact value bytes, by the
 * key enrolled for that node in the cluster of its record key, and reporting the enrolled
 * address. A node's address is part of its identity: it changes by enrolling the node again,
 * never because a heartbeat says so.
 */
public final class HeartbeatCheck {
  private HeartbeatCheck() {}

  /** What the coordinator knows of the node a heartbeat names. */
  public sealed interface Identity {
    record Enrolled(Enrollment enrollment) implements Identity {}

    /** An enrollment exists but does not count (see {@link EnrollmentCheck}). */
    record Invalid(String problem) implements Identity {}

    record Unknown() implements Identity {}
  }

  public sealed interface Verdict {
    record Verified(Enrollment enrollment) implements Verdict {}

    /** Not enrolled, in a cluster listed as accepting such nodes while it is being migrated. */
    record AcceptedUnenrolled() implements Verdict {}

    record Refused(Refusal refusal) implements Verdict {}
  }

  /**
   * @param value the record's value bytes, exactly as on the topic
   * @param signature the record's signature header, if any
   * @param acceptUnenrolled the cluster is listed in unverified-clusters
   */
  public static Verdict verify(
      Heartbeat heartbeat, byte[] value, Optional<byte[]> signature, Identity identity,
      boolean acceptUnenrolled) {
    String node = heartbeat.node();
    String who = node + " of " + heartbeat.cluster();
    if (identity instanceof Identity.Unknown && acceptUnenrolled) {
      return new Verdict.AcceptedUnenrolled();
    }
    if (identity instanceof Identity.Unknown) {
      return refused(Refusal.Reason.NOT_ENROLLED, node, "a heartbeat of " + who
          + ", which is not enrolled: enroll it (baton enroll) with the public key that"
          + " baton-agent print-public-key shows on the node");
    }
    if (identity instanceof Identity.Invalid invalid) {
      return refused(Refusal.Reason.ENROLLMENT_INVALID, node, "a heartbeat of " + who
          + ", whose enrollment does not count: " + invalid.problem());
    }
    Enrollment enrollment = ((Identity.Enrolled) identity).enrollment();
    if (signature.isEmpty()) {
      return refused(Refusal.Reason.UNSIGNED, node, "an unsigned heartbeat naming " + who);
    }
    if (!Ed25519.verify(publicKey(enrollment), value, signature.get())) {
      return refused(Refusal.Reason.BAD_SIGNATURE, node, "a heartbeat naming " + who
          + " not signed by its enrolled key (enrolled by " + enrollment.enrolledBy() + ")");
    }
    if (!heartbeat.postgres().host().equals(enrollment.host())
        || heartbeat.postgres().port() != enrollment.port()) {
      return refused(Refusal.Reason.ADDRESS_MISMATCH, node, "a heartbeat of " + who
          + " reporting " + heartbeat.postgres().host() + ":" + heartbeat.postgres().port()
          + ", but it is enrolled at " + enrollment.host() + ":" + enrollment.port()
          + ": enroll it again to move it");
    }
    return new Verdict.Verified(enrollment);
  }

  private static java.security.PublicKey publicKey(Enrollment enrollment) {
    return Ed25519.parsePublicKey(enrollment.publicKey()).orElseThrow();
  }

  private static Verdict refused(Refusal.Reason reason, String subject, String message) {
    return new Verdict.Refused(new Refusal(reason, subject, message));
  }
}
