package io.baton.client;

import io.baton.events.MasterRecord;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One applied change of a cluster's master, as given to a {@link MasterListener}.
 *
 * @param previous the master known before, empty when this is the first one known
 * @param current the new master
 * @param publishedAt the broker timestamp of the record announcing {@code current}
 */
public record MasterChange(Optional<MasterRecord> previous, MasterRecord current,
    Instant publishedAt) {
  public MasterChange {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(publishedAt, "publishedAt");
  }

  public String cluster() {
    return current.cluster();
  }

  /** Whether the primary moved to another address (not only a new epoch for the same one). */
  public boolean movedEndpoint() {
    return previous.map(p -> !p.host().equals(current.host()) || p.port() != current.port())
        .orElse(true);
  }
}
