package io.baton.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A standby's WAL receiver, from {@code pg_stat_wal_receiver}.
 *
 * @param status as PostgreSQL reports it: {@code streaming}, {@code starting}, {@code waiting},
 *     {@code stopping}..., or {@code stopped} when no receiver runs
 * @param receivedTimeline {@code received_tli}: the timeline it is receiving
 */
public record ReceiverStatus(
    @JsonProperty(required = true) String status,
    Optional<String> upstreamHost,
    OptionalInt upstreamPort,
    OptionalLong receivedTimeline) {

  public ReceiverStatus {
    Fields.text("status", status);
    upstreamHost = Fields.optional(upstreamHost);
    upstreamPort = Fields.optional(upstreamPort);
    receivedTimeline = Fields.optional(receivedTimeline);
  }

  public boolean isStreaming() {
    return "streaming".equals(status);
  }

  public boolean isStreamingFrom(String host, int port) {
    return isStreaming()
        && upstreamHost.filter(host::equals).isPresent()
        && upstreamPort.isPresent()
        && upstreamPort.getAsInt() == port;
  }
}
