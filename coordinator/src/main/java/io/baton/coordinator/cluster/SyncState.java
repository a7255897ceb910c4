package io.baton.coordinator.cluster;

import java.util.List;
import java.util.Optional;

/**
 * Synchronous replication as the coordinator manages it.
 *
 * @param configured the synchronous standbys last assigned to the primary
 * @param promotable the standbys known to hold every acknowledged commit. When the configured
 *     list changes, only the standbys in both the old and the new list keep that guarantee; a new
 *     one gains it once the primary reports the new list in effect and the standby {@code sync}.
 * @param degraded why the mode's wish cannot be met right now (reported once per reason)
 */
public record SyncState(
    List<String> configured, List<String> promotable, Optional<String> degraded) {
  public SyncState {
    configured = configured == null ? List.of() : List.copyOf(configured);
    promotable = promotable == null ? List.of() : List.copyOf(promotable);
    degraded = degraded == null ? Optional.empty() : degraded;
  }

  public static SyncState none() {
    return new SyncState(List.of(), List.of(), Optional.empty());
  }

  /** A new primary's list: nobody is known to hold its acknowledged writes yet. */
  public static SyncState fresh(List<String> configured) {
    return new SyncState(configured, List.of(), Optional.empty());
  }

  /** The state right after assigning a new list, before the primary confirms it. */
  public SyncState reconfigured(List<String> next, Optional<String> why) {
    return new SyncState(next, promotable.stream().filter(next::contains).toList(), why);
  }

  public SyncState confirmed() {
    return new SyncState(configured, configured, degraded);
  }
}
