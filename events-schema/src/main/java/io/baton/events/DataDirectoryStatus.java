package io.baton.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the data directory says while PostgreSQL is down ({@code pg_controldata}).
 *
 * @param state the "Database cluster state" line: {@code shut down}, {@code shut down in
 *     recovery}, {@code in production}, {@code in archive recovery}...
 * @param checkpointLsn "Latest checkpoint location": after a clean shutdown of a primary, the
 *     last WAL record it wrote
 * @param standbySignal whether {@code standby.signal} exists: it starts as a standby
 */
public record DataDirectoryStatus(
    @JsonProperty(required = true) String state,
    @JsonProperty(required = true) Lsn checkpointLsn,
    @JsonProperty(required = true) long timeline,
    @JsonProperty(required = true) String systemIdentifier,
    @JsonProperty(required = true) boolean standbySignal) {

  public DataDirectoryStatus {
    Fields.text("state", state);
    Fields.required("checkpointLsn", checkpointLsn);
    Fields.atLeast("timeline", timeline, 1);
    Fields.digits("systemIdentifier", systemIdentifier);
  }

  /** A primary's data directory (it would start writable), as opposed to a standby's. */
  public boolean isPrimary() {
    return !standbySignal && !state.contains("recovery");
  }

  public boolean isCleanlyShutDown() {
    return state.equals("shut down") || state.equals("shut down in recovery");
  }
}
