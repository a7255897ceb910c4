package io.baton.coordinator.policy;

import io.baton.coordinator.cluster.NodeView;
import io.baton.events.ReplicationMode;
import java.time.Duration;

/**
 * The coordinator's timing and safety knobs, the same for every cluster it runs.
 *
 * @param failoverAfter broker time without a heartbeat after which a node is lost; for the
 *     primary this is the moment its lease has certainly lapsed and it has fenced itself
 * @param fencingMargin the least time between an agent's fencing deadline and {@code
 *     failoverAfter}: it covers the time fencing takes and clock-rate differences. When an
 *     agent's {@code fenceAfter} leaves less, that node's failover timeout is raised to keep it.
 * @param maximumLagOnFailover bytes of WAL a candidate may miss, relative to the lost primary's
 *     last reported position, and still be promoted without an operator's {@code --force}
 * @param switchoverTimeout how long a switchover may take before it is aborted
 * @param promotionTimeout how long a node told to become primary may take to report it before it
 *     is stopped and another candidate chosen
 * @param defaultReplicationMode the mode of a cluster no operator has configured
 * @param requestTimeToLive a request decided later than this after it was sent (the coordinator
 *     was down or behind) is refused: whoever sent it has stopped waiting, and acting on it now
 *     would surprise them
 */
public record Policy(
    Duration failoverAfter,
    Duration fencingMargin,
    long maximumLagOnFailover,
    Duration switchoverTimeout,
    Duration promotionTimeout,
    ReplicationMode defaultReplicationMode,
    Duration requestTimeToLive) {

  public static final Duration DEFAULT_FAILOVER_AFTER = Duration.ofSeconds(5);
  public static final Duration DEFAULT_FENCING_MARGIN = Duration.ofSeconds(1);
  public static final long DEFAULT_MAXIMUM_LAG_ON_FAILOVER = 1024 * 1024;
  public static final Duration DEFAULT_SWITCHOVER_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_PROMOTION_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_REQUEST_TIME_TO_LIVE = Duration.ofSeconds(60);

  public Policy {
    if (failoverAfter.isNegative() || failoverAfter.isZero()) {
      throw new IllegalArgumentException("failover-after must be positive, got " + failoverAfter);
    }
    if (fencingMargin.isNegative()) {
      throw new IllegalArgumentException("fencing-margin must not be negative");
    }
    if (maximumLagOnFailover < 0) {
      throw new IllegalArgumentException("maximum-lag-on-failover must not be negative");
    }
    if (switchoverTimeout.isNegative() || switchoverTimeout.isZero()) {
      throw new IllegalArgumentException("switchover-timeout must be positive");
    }
    if (promotionTimeout.isNegative() || promotionTimeout.isZero()) {
      throw new IllegalArgumentException("promotion-timeout must be positive");
    }
    if (requestTimeToLive.isNegative() || requestTimeToLive.isZero()) {
      throw new IllegalArgumentException("request-time-to-live must be positive");
    }
  }

  public static Policy defaults() {
    return new Policy(
        DEFAULT_FAILOVER_AFTER, DEFAULT_FENCING_MARGIN, DEFAULT_MAXIMUM_LAG_ON_FAILOVER,
        DEFAULT_SWITCHOVER_TIMEOUT, DEFAULT_PROMOTION_TIMEOUT, ReplicationMode.ASYNC,
        DEFAULT_REQUEST_TIME_TO_LIVE);
  }

  /** The failover timeout for this node: raised when its agent's fencing leaves too little margin. */
  public Duration failoverAfterFor(NodeView node) {
    Duration needed = node.agent().fenceAfter().plus(fencingMargin);
    return needed.compareTo(failoverAfter) > 0 ? needed : failoverAfter;
  }

  public boolean isLost(NodeView node, java.time.Instant now) {
    return node.silentFor(now).compareTo(failoverAfterFor(node)) >= 0;
  }
}
