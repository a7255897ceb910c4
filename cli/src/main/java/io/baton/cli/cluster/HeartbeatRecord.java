package io.baton.cli.cluster;

import io.baton.events.Heartbeat;
import java.time.Instant;

/**
 * A heartbeat as read from the heartbeats topic.
 *
 * @param offset its position in the cluster's partition: later heartbeats have higher offsets
 *     whatever the clocks say
 * @param appendedAt the broker's append time (the topic uses LogAppendTime)
 */
public record HeartbeatRecord(Heartbeat heartbeat, long offset, Instant appendedAt) {
  public String node() {
    return heartbeat.node();
  }
}
