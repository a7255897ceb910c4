package io.baton.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether the node's PostgreSQL can serve, as its agent sees it. */
public enum Health {
  /** Running and answering queries. */
  UP,
  /** The postmaster is not running. */
  DOWN,
  /** The postmaster runs but does not answer (overloaded, out of connections, wedged). */
  UNREACHABLE,
  /** The agent is starting it, or it is in crash recovery. */
  STARTING;

  @JsonValue
  public String wire() {
    return Wire.name(this);
  }

  @JsonCreator
  public static Health of(String text) {
    return Wire.parse(Health.class, text);
  }
}
