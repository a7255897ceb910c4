package io.baton.benchmark.campaign.check;

import java.util.Optional;

/**
 * An acknowledged write of the client missing on the final primary, and the master change that
 * lost it: the first one seen after the write began.
 */
public record LostWrite(Write write, Optional<MasterChange> change, Cause cause) {

  /** Why it is missing, and so whether that breaks a promise. */
  public enum Cause {
    /** Lost in a switchover, which promises no loss in every mode: a violation. */
    SWITCHOVER(true),
    /** Lost in a failover while synchronous mode promised no loss: a violation. */
    SYNCHRONOUS_FAILOVER(true),
    /** Lost in an asynchronous failover: allowed by design, reported as a figure. */
    ASYNCHRONOUS_FAILOVER(false),
    /** Missing although the master never changed after it: a violation in every mode. */
    NO_MASTER_CHANGE(true);

    private final boolean violation;

    Cause(boolean violation) {
      this.violation = violation;
    }

    public boolean isViolation() {
      return violation;
    }
  }
}
