package io.baton.cli.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.baton.events.EventCodec;

/**
 * {@code baton status --json}: the same report for scripts, with Baton's own JSON conventions
 * (ISO-8601 times and durations, LSNs as PostgreSQL prints them, absent values left out).
 */
public final class StatusJson {
  private static final ObjectMapper MAPPER =
      EventCodec.mapper().enable(SerializationFeature.INDENT_OUTPUT);

  private StatusJson() {}

  public static String render(StatusReport report) {
    try {
      return MAPPER.writeValueAsString(report) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the status as JSON", e);
    }
  }
}
