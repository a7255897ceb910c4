package io.baton.coordinator.topology;

import io.baton.coordinator.trust.EnrollmentCheck;
import io.baton.coordinator.trust.HeartbeatCheck.Identity;
import io.baton.coordinator.trust.OperatorKeys;
import io.baton.events.Enrollment;
import io.baton.events.EventCodec;
import io.baton.events.MalformedEventException;
import io.baton.events.Printable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enrolled identity of a node, read from the global enrollments store as the topic holds it
 * and checked against the operator keys. A checked enrollment is remembered with its bytes, so
 * its operator's signature is verified once, not with every heartbeat.
 */
final class EnrollmentBook {
  private static final Logger LOG = LoggerFactory.getLogger(EnrollmentBook.class);

  private record Checked(byte[] value, Identity identity) {}

  private final OperatorKeys operators;
  private final Map<String, Checked> checked = new HashMap<>();

  EnrollmentBook(OperatorKeys operators) {
    this.operators = operators;
  }

  Identity identity(KeyValueStore<String, byte[]> store, String cluster, String node) {
    String key = Enrollment.key(cluster, node);
    byte[] value = store.get(key);
    if (value == null) {
      checked.remove(key);
      return new Identity.Unknown();
    }
    Checked known = checked.get(key);
    if (known != null && Arrays.equals(known.value(), value)) {
      return known.identity();
    }
    Identity identity = check(key, value);
    checked.put(key, new Checked(value, identity));
    return identity;
  }

  private Identity check(String key, byte[] value) {
    Enrollment enrollment;
    try {
      enrollment = EventCodec.read(value, Enrollment.class);
    } catch (MalformedEventException e) {
      LOG.warn("enrollment {} does not count: {}", Printable.escape(key),
          Printable.escape(e.getMessage()));
      return new Identity.Invalid("it is unreadable: " + e.getMessage());
    }
    Optional<String> problem = EnrollmentCheck.problem(key, enrollment, operators);
    if (problem.isPresent()) {
      LOG.warn("cluster={} node={} enrollment does not count: {}", enrollment.cluster(),
          enrollment.node(), problem.get());
      return new Identity.Invalid(problem.get());
    }
    LOG.info("cluster={} node={} enrolled at {}:{} by {} at {}", enrollment.cluster(),
        enrollment.node(), enrollment.host(), enrollment.port(), enrollment.enrolledBy(),
        enrollment.enrolledAt());
    return new Identity.Enrolled(enrollment);
  }
}
