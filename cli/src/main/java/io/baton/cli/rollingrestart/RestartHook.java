package io.baton.cli.rollingrestart;

import java.util.Optional;

/** How one node is restarted: the agent's API by default, or an operator's command. */
public interface RestartHook {
  /** For the progress line: what will be done to the node. */
  String describe(RestartTarget target);

  /** Starts the restart; the caller watches heartbeats meanwhile. */
  Running start(RestartTarget target);

  /** A restart under way. */
  interface Running {
    /** Empty while the hook still runs. */
    Optional<Outcome> outcome();

    /** Stops the hook (the rolling restart gave up). */
    void cancel();
  }

  /**
   * @param succeeded the hook did its part
   * @param vouches the hook returned only after the restart was done (a command), so a heartbeat
   *     sent after it is proof of a restarted node; the agent's API only accepts a restart
   * @param message what happened, for the progress line or the failure
   */
  record Outcome(boolean succeeded, boolean vouches, String message) {}
}
