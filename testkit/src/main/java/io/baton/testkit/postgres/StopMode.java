package io.baton.testkit.postgres;

import java.util.Locale;

/** {@code pg_ctl stop -m} modes. */
public enum StopMode {
  /** Waits for every session to end. */
  SMART,
  /** Ends sessions and checkpoints: a clean shutdown, after which no pg_rewind is needed. */
  FAST,
  /** Stops at once without a checkpoint, like a crash (crash recovery on next start). */
  IMMEDIATE;

  String pgCtlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
