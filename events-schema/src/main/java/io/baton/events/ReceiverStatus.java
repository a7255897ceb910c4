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
 * @param upstreamHost {@code sender_host}: a host, or the socket directory when it streams
 *     through a Unix socket
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
    upstreamHost.ifPresent(host -> Hosts.requireHostOrSocketDirectory("upstreamHost", host));
    upstreamPort = Fields.port("upstreamPort", upstreamPort);
    receivedTimeline = Fields.atLeast("receivedTimeline", receivedTimeline, 1);
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
