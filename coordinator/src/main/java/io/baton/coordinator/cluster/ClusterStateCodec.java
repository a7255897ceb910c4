package io.baton.coordinator.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.events.EventCodec;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Cluster state as JSON, for the state store and its changelog. */
public final class ClusterStateCodec {
  private static final ObjectMapper MAPPER = EventCodec.mapper();

  private ClusterStateCodec() {}

  public static byte[] write(ClusterState state) {
    try {
      return MAPPER.writeValueAsBytes(state);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the state of cluster " + state.cluster(), e);
    }
  }

  public static ClusterState read(byte[] json) {
    try {
      return MAPPER.readValue(json, ClusterState.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable cluster state in the state store", e);
    }
  }
}
