package io.baton.coordinator.cluster;

import io.baton.events.Lsn;
import java.util.List;
import java.util.Optional;

/**
 * Synchronous replication as the coordinator manages it.
 *
 * @param configured the synchronous standbys last assigned to the primary
 * @param promotable the standbys known to hold every acknowledged commit. When the configured
 *     list changes, only the standbys in both the old and the new list keep that guarantee; a new
 *     one gains it once the primary, under the assignment that set the list, reports the list in
 *     effect, the standby {@code sync}, and the standby has flushed the WAL the primary had
 *     written when the list took effect (commits acknowledged before that did not wait for it)
 * @param degraded why the mode's wish cannot be met right now (reported once per reason)
 * @param generation the generation of the primary assignment that set {@link #configured}
 * @param appliedAt the primary's WAL position in the first heartbeat that showed {@link
 *     #configured} in effect: every commit acknowledged before the list took effect lies below it
 */
public record SyncState(
    List<String> configured,
    List<String> promotable,
    Optional<String> degraded,
    long generation,
    Optional<Lsn> appliedAt) {
  public SyncState {
    configured = configured == null ? List.of() : List.copyOf(configured);
    promotable = promotable == null ? List.of() : List.copyOf(promotable);
    degraded = degraded == null ? Optional.empty() : degraded;
    appliedAt = appliedAt == null ? Optional.empty() : appliedAt;
  }

  public static SyncState none() {
    return new SyncState(List.of(), List.of(), Optional.empty(), 0, Optional.empty());
  }

  /**
   * A new primary's list, set by its promotion assignment. Nobody is known to hold its
   * acknowledged writes yet, except a standby it waits for from its first write that already held
   * everything before (the drained primary of a switchover).
   */
  public static SyncState fresh(List<String> configured, List<String> promotable, long generation) {
    return new SyncState(configured, promotable, Optional.empty(), generation, Optional.empty());
  }

  /** The state right after assigning a new list, before the primary confirms it. */
  public SyncState reconfigured(List<String> next, Optional<String> why, long assignedIn) {
    return new SyncState(
        next, promotable.stream().filter(next::contains).toList(), why, assignedIn,
        Optional.empty());
  }

  /** The list's degradation reason changed, not the list. */
  public SyncState degraded(Optional<String> why) {
    return new SyncState(configured, promotable, why, generation, appliedAt);
  }

  public SyncState applied(Lsn at) {
    return new SyncState(configured, promotable, degraded, generation, Optional.of(at));
  }

  public SyncState confirmed() {
    return new SyncState(configured, configured, degraded, generation, appliedAt);
  }
}
