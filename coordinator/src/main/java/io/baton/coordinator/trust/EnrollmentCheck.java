package io.baton.coordinator.trust;

import io.baton.events.Enrollment;
import io.baton.events.signing.Ed25519;
import java.util.Base64;
import java.util.Optional;

/**
 * Whether an enrollment on the topic counts: it must sit under its own {@code cluster/node} key
 * and be signed by an operator the coordinator knows and allows for that cluster. Anyone the
 * Kafka ACLs let write the topic can put a record there; only an operator's key makes it count.
 */
public final class EnrollmentCheck {
  private EnrollmentCheck() {}

  /** Why the enrollment does not count; empty when it does. */
  public static Optional<String> problem(String key, Enrollment enrollment, OperatorKeys keys) {
    if (!enrollment.key().equals(key)) {
      return Optional.of("it enrolls " + enrollment.key() + " under the key " + key);
    }
    Optional<OperatorKeys.Operator> operator = keys.operator(enrollment.enrolledBy());
    if (operator.isEmpty()) {
      return Optional.of("it is signed by '" + enrollment.enrolledBy()
          + "', whom the coordinator's operator keys do not list");
    }
    if (!operator.get().allows(enrollment.cluster())) {
      return Optional.of("operator " + operator.get().describe() + " may not act on cluster "
          + enrollment.cluster());
    }
    byte[] signature = Base64.getDecoder().decode(enrollment.signature());
    if (!Ed25519.verify(operator.get().key(), enrollment.signedText(), signature)) {
      return Optional.of("its signature is not " + enrollment.enrolledBy() + "'s");
    }
    return Optional.empty();
  }
}
