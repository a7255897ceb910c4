package io.baton.benchmark.campaign;

import java.util.Optional;

/**
 * One node as the campaign's SQL sees it.
 *
 * @param unreachable why it did not answer, when it did not
 * @param timeline a primary's current timeline (0 for a standby)
 * @param receiver a standby's WAL receiver, when it has one
 */
record NodeState(String node, String host, int port, Optional<String> unreachable,
    boolean inRecovery, long timeline, Optional<Receiver> receiver) {

  /** {@code pg_stat_wal_receiver}: its status, timeline and where it streams from. */
  record Receiver(String status, long timeline, String senderHost, int senderPort) {}

  static NodeState unreachable(String node, String host, int port, String why) {
    return new NodeState(node, host, port, Optional.of(why), false, 0, Optional.empty());
  }

  boolean isPrimary() {
    return unreachable.isEmpty() && !inRecovery;
  }

  /** Whether it streams from {@code primary} on the primary's timeline. */
  boolean streamsFrom(NodeState primary) {
    return receiver.filter(r -> r.status().equals("streaming")
        && r.senderHost().equals(primary.host()) && r.senderPort() == primary.port()
        && r.timeline() == primary.timeline()).isPresent();
  }

  String describe() {
    if (unreachable.isPresent()) {
      return node + " does not answer (" + unreachable.get() + ")";
    }
    if (!inRecovery) {
      return node + " primary on timeline " + timeline;
    }
    return node + " standby, " + receiver.map(r -> r.status() + " from " + r.senderHost() + ":"
        + r.senderPort() + " on timeline " + r.timeline()).orElse("no WAL receiver");
  }
}
