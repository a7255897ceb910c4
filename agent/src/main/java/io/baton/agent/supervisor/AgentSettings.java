package io.baton.agent.supervisor;

import io.baton.agent.convergence.Situation;
import io.baton.events.Names;
import java.time.Duration;
import java.util.Optional;

/**
 * The agent's identity and timing, as the supervisor uses them.
 *
 * @param heartbeatInterval how often a heartbeat is sent when nothing changes
 * @param observeInterval how often PostgreSQL is observed; a change is reported at once
 * @param fenceAfter how long without an acknowledged heartbeat before PostgreSQL is fenced
 * @param catchUpTimeout how long a switchover target may wait for the old primary's last WAL
 * @param rewindAfter how long a standby may fail to stream from a reachable upstream before it
 *     is rewound
 */
public record AgentSettings(
    String cluster,
    String node,
    int priority,
    boolean noFailover,
    Duration heartbeatInterval,
    Duration observeInterval,
    Duration fenceAfter,
    Duration catchUpTimeout,
    Duration rewindAfter,
    Optional<String> apiUrl) {

  public AgentSettings {
    Names.require("cluster", cluster);
    Names.require("node", node);
    for (Duration d : new Duration[] {heartbeatInterval, observeInterval, fenceAfter, catchUpTimeout, rewindAfter}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("agent timings must be positive, got " + d);
      }
    }
    if (heartbeatInterval.compareTo(fenceAfter) >= 0) {
      throw new IllegalArgumentException(
          "heartbeat-interval " + heartbeatInterval + " must be shorter than fence-after " + fenceAfter
              + ", or every pause between heartbeats fences the primary");
    }
  }

  Situation.Timings timings() {
    return new Situation.Timings(catchUpTimeout, rewindAfter);
  }
}
