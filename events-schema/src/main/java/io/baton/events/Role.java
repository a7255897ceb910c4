package io.baton.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The role PostgreSQL itself reports ({@code pg_is_in_recovery()}), not the assigned one. */
public enum Role {
  PRIMARY,
  STANDBY,
  /** PostgreSQL is not answering, so it cannot say. */
  UNKNOWN;

  @JsonValue
  public String wire() {
    return Wire.name(this);
  }

  @JsonCreator
  public static Role of(String text) {
    return Wire.parse(Role.class, text);
  }
}
