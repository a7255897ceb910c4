package io.baton.agent.convergence;

import io.baton.events.Convergence;
import io.baton.events.Upstream;
import java.util.Optional;

/** The next step the table asks for, with the sentence the agent reports while taking it. */
public sealed interface Action {
  String why();

  /** Stop accepting writes now: immediate shutdown. */
  record Fence(String why) implements Action {}

  record StartPrimary(String synchronousStandbyNames, String why) implements Action {}

  /** Start in recovery; with no upstream, keep the one it has. */
  record StartStandby(Optional<Upstream> upstream, String why) implements Action {}

  record Promote(long timelineAbove, String why) implements Action {}

  /** Point a running standby at another upstream. */
  record Follow(Upstream upstream, String why) implements Action {}

  /** Stop if running, rewind from the upstream when the histories diverged, start as its standby. */
  record Rejoin(Upstream upstream, String why) implements Action {}

  /** A clean, fast shutdown: sessions ended, shutdown checkpoint shipped to the standbys. */
  record StopCleanly(String why) implements Action {}

  record ApplySynchronousStandbyNames(String value, String why) implements Action {}

  /** Give up, for good, being writable under this primary generation; tell the coordinator. */
  record Relinquish(long generation, String why) implements Action {}

  /** Nothing to do now; report the status and the reason. */
  record Wait(Convergence status, String why) implements Action {}

  /** PostgreSQL is in the assigned state. */
  record Converged(String why) implements Action {}
}
