package io.baton.agent.supervisor;

import io.baton.events.Heartbeat;

/**
 * Where heartbeats go. Heartbeats reach it in sequence order, one at a time; it must not block for
 * long (the lease guard and the loop both send), and its acknowledgements renew the lease.
 */
public interface HeartbeatSink {
  void publish(Heartbeat heartbeat);
}
