package io.baton.agent.supervisor;

import io.baton.events.Assignment;
import java.util.Optional;

/** Where the supervisor finds this node's newest assignment (the assignments topic, read to its end). */
public interface AssignmentSource {
  Optional<Assignment> latest();
}
