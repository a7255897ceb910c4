package io.baton.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A record with no key that the coordinator appends to every partition of the heartbeats topic
 * a few times a second. Its only content is its broker append time: it moves the coordinator's
 * clock forward in broker time even when no agent of a partition is heartbeating, and because it
 * sits in the same ordered log as the heartbeats, a coordinator that lags or replays sees exactly
 * the gaps that happened, never a false one.
 */
public record ClockTick(
    @JsonProperty(required = true) int version, @JsonProperty(required = true) String source) {

  public static final int VERSION = 1;

  public ClockTick {
    Fields.version("version", version, VERSION);
    Fields.text("source", source);
  }

  public ClockTick(String source) {
    this(VERSION, source);
  }
}
