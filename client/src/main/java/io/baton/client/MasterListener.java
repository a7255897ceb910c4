package io.baton.client;

import io.baton.events.MasterRecord;
import java.time.Instant;
import java.util.Optional;

/**
 * Told when the primary of a cluster changes.
 *
 * <p>Called on the follower's own thread, one call at a time, in the order of the master topic:
 * keep it short, or hand the work to another thread, because the follower reads nothing while a
 * listener runs. An exception thrown by a listener is logged and otherwise ignored: it neither
 * stops the follower nor keeps other listeners from being called.
 *
 * <p>Each listener first gets one call per known cluster once the follower is ready (or at once,
 * on the follower's thread, when it is added to a follower that is already ready), with {@code
 * previous} empty: the state at that moment. After that it gets exactly one call per epoch
 * increase of a cluster; records with an epoch not newer than the last applied one never reach it.
 */
@FunctionalInterface
public interface MasterListener {
  /**
   * @param previous the master this follower knew before, empty for the first call per cluster
   * @param current the new master
   * @param publishedAt the broker timestamp of the record that announced {@code current}
   */
  void onMasterChange(Optional<MasterRecord> previous, MasterRecord current, Instant publishedAt);
}
