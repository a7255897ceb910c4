package io.baton.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How far an agent has brought its PostgreSQL towards the goal state it was assigned. */
public enum Convergence {
  /** No assignment yet: the agent leaves PostgreSQL as it is and reports what it sees. */
  UNASSIGNED,
  /** Working on it (starting, promoting, rewinding, re-pointing...). */
  CONVERGING,
  /** PostgreSQL is in the assigned state. */
  CONVERGED,
  /** Deliberately not acting until something changes; the detail says what. */
  WAITING,
  /** The last attempt failed; the detail says why; the agent retries. */
  FAILED;

  @JsonValue
  public String wire() {
    return Wire.name(this);
  }

  @JsonCreator
  public static Convergence of(String text) {
    return Wire.parse(Convergence.class, text);
  }
}
