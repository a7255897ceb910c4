package io.baton.cli.rollingrestart;

import io.baton.cli.cluster.HeartbeatRecord;
import io.baton.events.AgentStatus;
import io.baton.events.Convergence;
import io.baton.events.Health;
import io.baton.events.Heartbeat;
import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.events.PostgresStatus;
import io.baton.events.Role;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Follows one node's restart through its heartbeats, fed in the order of the heartbeats topic.
 * No I/O, no clock: the offsets of the topic order everything.
 *
 * <p>A heartbeat alone cannot prove a restart (it carries no postmaster start time), and an idle
 * standby holds the master's position before its restart as well as after. So the tracker first
 * waits for evidence of the restart, and then requires the catch-up from a <em>later</em>
 * heartbeat, whose observation was made after the restart:
 *
 * <ul>
 *   <li>a heartbeat showing PostgreSQL not up (stopped or starting);
 *   <li>the agent reporting a restart it carried out (its detail starts with {@code restarted}).
 *       Heartbeats with that detail may still carry the observation from before the restart (the
 *       agent reports first and observes after, and its heartbeat timer sends whatever it last
 *       observed), so only one whose detail has moved on counts: the agent observed again;
 *   <li>a restart command that returned 0: the first heartbeat sent after that.
 * </ul>
 *
 * Caught up means: up, a standby, its WAL receiver streaming from the master, and WAL replayed
 * (so also received) at or past the master's position when the restart began. The received
 * position alone would not do: after a restart PostgreSQL reports the start of the WAL segment it
 * resumed streaming from until the master writes something new, so an idle cluster would wait
 * for its next checkpoint.
 */
public final class RestartTracker {
  /** The agent's words after restarting PostgreSQL on request (see its Supervisor). */
  static final String AGENT_RESTARTED = "restarted";
  static final String AGENT_RESTART_FAILED = "restart failed";

  private final String node;
  private final MasterRecord master;
  private final Lsn target;
  private final long triggeredAt;
  private OptionalLong vouchedFrom = OptionalLong.empty();
  private OptionalLong restartSeenAt = OptionalLong.empty();
  private boolean seenInAgentReport;
  private CatchUp state;

  /**
   * @param master the master it must stream from
   * @param target the master's WAL position when the restart began
   * @param triggeredAt the heartbeats partition's end offset just before the hook ran: only
   *     heartbeats from there on can tell about this restart
   */
  public RestartTracker(String node, MasterRecord master, Lsn target, long triggeredAt) {
    this.node = node;
    this.master = master;
    this.target = target;
    this.triggeredAt = triggeredAt;
    this.state = new CatchUp.Waiting("waiting for " + node + " to restart");
  }

  public CatchUp state() {
    return state;
  }

  /** The hook returned only after the restart: heartbeats from {@code offset} on are after it. */
  public void hookVouched(long offset) {
    vouchedFrom = OptionalLong.of(offset);
  }

  public CatchUp offer(HeartbeatRecord record) {
    if (!record.node().equals(node) || record.offset() < triggeredAt || isSettled()) {
      return state;
    }
    Heartbeat heartbeat = record.heartbeat();
    AgentStatus agent = heartbeat.agent();
    if (agent.convergence() == Convergence.FAILED && agent.detail().startsWith(AGENT_RESTART_FAILED)) {
      state = new CatchUp.Failed(node + "'s agent could not restart PostgreSQL: " + agent.detail());
      return state;
    }
    if (restartSeenAt.isEmpty()) {
      if (isEvidence(record)) {
        restartSeenAt = OptionalLong.of(record.offset());
        seenInAgentReport = reportsRestart(heartbeat);
        state = new CatchUp.Waiting(describe(heartbeat));
      }
      return state;
    }
    if (seenInAgentReport && reportsRestart(heartbeat)) {
      return state;
    }
    if (record.offset() > restartSeenAt.getAsLong()) {
      state = caughtUp(heartbeat) ? new CatchUp.CaughtUp(record) : new CatchUp.Waiting(describe(heartbeat));
    }
    return state;
  }

  private boolean isSettled() {
    return !(state instanceof CatchUp.Waiting);
  }

  private boolean isEvidence(HeartbeatRecord record) {
    Heartbeat heartbeat = record.heartbeat();
    return heartbeat.postgres().health() != Health.UP
        || reportsRestart(heartbeat)
        || (vouchedFrom.isPresent() && record.offset() >= vouchedFrom.getAsLong());
  }

  private static boolean reportsRestart(Heartbeat heartbeat) {
    return heartbeat.agent().detail().startsWith(AGENT_RESTARTED);
  }

  private boolean caughtUp(Heartbeat heartbeat) {
    PostgresStatus pg = heartbeat.postgres();
    return pg.isRunningStandby()
        && pg.receiver().filter(r -> r.isStreamingFrom(master.host(), master.port())).isPresent()
        && pg.replayedLsn().filter(lsn -> lsn.isAtLeast(target)).isPresent();
  }

  /** What the node is doing, in a few words. */
  private String describe(Heartbeat heartbeat) {
    PostgresStatus pg = heartbeat.postgres();
    if (pg.health() != Health.UP) {
      return node + " is " + pg.health().wire() + " (" + heartbeat.agent().detail() + ")";
    }
    if (pg.role() != Role.STANDBY) {
      return node + " runs as " + pg.role().wire() + ", not as a standby";
    }
    Optional<String> receiver = pg.receiver()
        .filter(r -> !r.isStreamingFrom(master.host(), master.port()))
        .map(r -> r.status() + r.upstreamHost().map(h -> " from " + h + ":" + r.upstreamPort().orElse(0)).orElse(""));
    if (pg.receiver().isEmpty()) {
      return node + " is up, its WAL receiver not yet started";
    }
    if (receiver.isPresent()) {
      return node + " is up, WAL receiver " + receiver.get() + " (not streaming from "
          + master.node() + " yet)";
    }
    return node + " is streaming from " + master.node() + ", received "
        + pg.receivedLsn().map(Lsn::toString).orElse("?") + " replayed "
        + pg.replayedLsn().map(Lsn::toString).orElse("?") + " of " + target;
  }
}
