package io.baton.cli.rollingrestart;

import io.baton.events.Heartbeat;
import java.util.Optional;

/** The node a restart hook restarts, as its latest heartbeat describes it. */
public record RestartTarget(
    String cluster, String node, String host, int port, Optional<String> agentUrl) {

  public static RestartTarget of(Heartbeat heartbeat) {
    return new RestartTarget(
        heartbeat.cluster(), heartbeat.node(), heartbeat.postgres().host(),
        heartbeat.postgres().port(), heartbeat.agent().apiUrl());
  }
}
