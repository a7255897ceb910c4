package io.baton.agent.postgres;

import io.baton.events.DataDirectoryStatus;
import io.baton.events.Lsn;
import java.util.HashMap;
import java.util.Map;

/** The fields of {@code pg_controldata} output (run with {@code LC_ALL=C}) the agent reports. */
record ControlData(String state, Lsn checkpointLsn, long timeline, String systemIdentifier) {

  /**
   * Parses pg_controldata's output.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  static ControlData parse(String output) {
    Map<String, String> fields = new HashMap<>();
    for (String line : output.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
      }
    }
    String state = field(fields, "Database cluster state");
    Lsn checkpoint = Lsn.parse(field(fields, "Latest checkpoint location"));
    String timeline = field(fields, "Latest checkpoint's TimeLineID");
    String systemIdentifier = field(fields, "Database system identifier");
    try {
      return new ControlData(state, checkpoint, Long.parseLong(timeline), systemIdentifier);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("pg_controldata printed a timeline of '" + timeline
          + "'");
    }
  }

  DataDirectoryStatus status(boolean standbySignal) {
    return new DataDirectoryStatus(state, checkpointLsn, timeline, systemIdentifier,
        standbySignal);
  }

  private static String field(Map<String, String> fields, String name) {
    String value = fields.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("pg_controldata printed no '" + name + "'");
    }
    return value;
  }
}
