package io.baton.testkit.probe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a probe run recorded, and the figures derived from it: outages, acknowledged and lost
 * writes. Made by {@link WriteProbe#results()} or read back by {@link ProbeLog} from a probe that
 * ran in another process.
 *
 * <p>All stamps are {@link System#nanoTime()} values. On Linux that is {@code CLOCK_MONOTONIC},
 * one clock for every process on the machine, so stamps from a probe in a child process (even in
 * another network namespace) compare directly with stamps taken in the test JVM, e.g. the
 * moment a test killed the primary.
 */
public final class ProbeResults {
  private final String runId;
  private final List<Attempt> attempts;

  /** {@code attempts} in the order they were made. */
  public ProbeResults(String runId, List<Attempt> attempts) {
    this.runId = runId;
    this.attempts = List.copyOf(attempts);
  }

  public String runId() {
    return runId;
  }

  public List<Attempt> attempts() {
    return attempts;
  }

  /** Sequence numbers whose insert the server acknowledged, in order. */
  public List<Long> acknowledged() {
    return attempts.stream().filter(Attempt::isAcknowledged).map(Attempt::seq).toList();
  }

  /** Every outage that has ended, in order. */
  public List<Outage> outages() {
    List<Outage> outages = new ArrayList<>();
    Optional<Attempt> firstFailure = Optional.empty();
    int failed = 0;
    for (Attempt attempt : attempts) {
      if (!attempt.isAcknowledged()) {
        if (firstFailure.isEmpty()) {
          firstFailure = Optional.of(attempt);
        }
        failed++;
      } else if (firstFailure.isPresent()) {
        Attempt first = firstFailure.get();
        outages.add(new Outage(first.startNanos(), attempt.endNanos(), failed,
            first.error().orElse("")));
        firstFailure = Optional.empty();
        failed = 0;
      }
    }
    return outages;
  }

  public Optional<Outage> longestOutage() {
    return outages().stream().max(Comparator.comparing(Outage::duration));
  }

  /** The start of an outage that has not ended: the last attempts all failed. */
  public Optional<Long> failingSince() {
    Optional<Long> since = Optional.empty();
    for (Attempt attempt : attempts) {
      if (attempt.isAcknowledged()) {
        since = Optional.empty();
      } else if (since.isEmpty()) {
        since = Optional.of(attempt.startNanos());
      }
    }
    return since;
  }

  /** When the last acknowledged insert was acknowledged. */
  public Optional<Long> lastAcknowledgedAt() {
    for (int i = attempts.size() - 1; i >= 0; i--) {
      if (attempts.get(i).isAcknowledged()) {
        return Optional.of(attempts.get(i).endNanos());
      }
    }
    return Optional.empty();
  }

  /**
   * The first acknowledged attempt that started at or after {@code nanos}: a write issued after
   * an event (say a kill), not one already in flight when it happened.
   */
  public Optional<Attempt> firstAcknowledgedAfter(long nanos) {
    return attempts.stream()
        .filter(a -> a.isAcknowledged() && a.startNanos() - nanos >= 0)
        .findFirst();
  }

  /**
   * Acknowledged sequence numbers missing from {@code baton_probe} for this run on {@code
   * finalPrimary}. Check before any dead node is restarted. A failed attempt is never counted:
   * its row may or may not have committed.
   */
  public List<Long> lostWrites(Connection finalPrimary) throws SQLException {
    Set<Long> stored = new HashSet<>();
    try (PreparedStatement select =
        finalPrimary.prepareStatement("SELECT seq FROM baton_probe WHERE run_id = ?")) {
      select.setString(1, runId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          stored.add(rs.getLong(1));
        }
      }
    }
    return acknowledged().stream().filter(seq -> !stored.contains(seq)).toList();
  }
}
