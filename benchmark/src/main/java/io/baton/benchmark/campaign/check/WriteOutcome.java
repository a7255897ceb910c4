package io.baton.benchmark.campaign.check;

import io.baton.testkit.probe.Attempt;
import io.baton.testkit.probe.WriteProbe;

/**
 * What became of one write attempt, as far as its writer can know. Only an acknowledged write
 * must survive; an indeterminate one may or may not have committed, so no rule counts it either
 * way.
 */
public enum WriteOutcome {
  /** The server acknowledged the commit. */
  ACKNOWLEDGED,
  /** The writer could not connect: nothing was sent, nothing committed. */
  FAILED_BEFORE_SENDING,
  /** A read-only server (a standby) refused the insert: it did not commit. */
  REFUSED,
  /** The insert was sent and no acknowledgement came back: it may have committed. */
  INDETERMINATE;

  /** The outcome of a probe's attempt, from its phase and SQLSTATE ({@code insert: 25006 ...}). */
  public static WriteOutcome of(Attempt attempt) {
    if (attempt.isAcknowledged()) {
      return ACKNOWLEDGED;
    }
    String error = attempt.error().orElse("");
    if (error.startsWith("connect:")) {
      return FAILED_BEFORE_SENDING;
    }
    if (error.startsWith("insert: " + WriteProbe.READ_ONLY + " ")) {
      return REFUSED;
    }
    return INDETERMINATE;
  }
}
