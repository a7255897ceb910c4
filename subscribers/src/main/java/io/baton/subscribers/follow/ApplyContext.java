package io.baton.subscribers.follow;

import io.baton.events.MasterRecord;
import java.time.Duration;
import java.util.Map;

/** What a {@link Target} may ask its runner while applying a change. */
public interface ApplyContext {
  /** The newest master of every cluster the follower knows, applied by this target or not. */
  Map<String, MasterRecord> known();

  /** Whether a newer change of {@code cluster} is waiting, so work on the current one can stop. */
  boolean superseded(String cluster);

  /**
   * Waits, returning early when the subscriber is closing.
   *
   * @return false when the subscriber is closing
   */
  boolean sleep(Duration duration);
}
