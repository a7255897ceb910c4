package io.baton.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where an operator request stands, on the events that answer it. */
public enum RequestOutcome {
  /** Accepted and under way: more events follow. */
  ACCEPTED,
  /** Done. */
  COMPLETED,
  /** Not done, and nothing was changed; the message says why. */
  REFUSED,
  /** Started but given up; the message says what state the cluster was left in. */
  FAILED;

  @JsonValue
  public String wire() {
    return Wire.name(this);
  }

  @JsonCreator
  public static RequestOutcome of(String text) {
    return Wire.parse(RequestOutcome.class, text);
  }

  public boolean isFinal() {
    return this != ACCEPTED;
  }
}
