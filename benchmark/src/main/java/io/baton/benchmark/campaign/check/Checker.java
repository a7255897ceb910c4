package io.baton.benchmark.campaign.check;

import io.baton.benchmark.campaign.check.Violation.Rule;
import io.baton.events.Amounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The campaign's invariants, checked on a recorded {@link History}. Pure: no clock, no I/O.
 *
 * <ul>
 *   <li>No two writable primaries: no two acknowledged writes on different nodes overlap in
 *       time; and once a master record naming B was seen, a write begun later and acknowledged
 *       by another node A breaks it, unless the next master record names A (a node being
 *       promoted accepts writes a moment before its record is published). When no next record
 *       was seen because the campaign stopped on a cluster that never converged, writes after it
 *       last converged are not judged: the record naming A may never have had its chance, and
 *       the convergence violation already reports that state.
 *   <li>No acknowledged write lost: every write the client saw acknowledged is on the final
 *       primary, except those lost in an asynchronous failover (a figure, not a violation).
 *       Writes whose outcome is unknown may be there or not.
 *   <li>Convergence: after each step's faults healed, one primary with every other node
 *       streaming from it and the client writing again, within the bound.
 * </ul>
 *
 * <p>Violations of one kind that follow each other closely (the same two nodes, the same master
 * record) are one episode and reported once, with how many writes it spans.
 */
public final class Checker {
  /** How long after the faults of a step healed the cluster must have converged. */
  public static final Duration CONVERGENCE_BOUND = Duration.ofSeconds(60);
  /** Overlaps further apart than this are separate episodes. */
  static final Duration EPISODE_GAP = Duration.ofSeconds(1);

  private Checker() {}

  /** What the history shows: the violations, in time order, and the lost writes. */
  public record Verdict(List<Violation> violations, List<LostWrite> lostWrites,
      List<Duration> convergenceTimes) {
    public Verdict {
      violations = violations.stream().sorted(Comparator.comparingLong(Violation::atNanos))
          .toList();
      lostWrites = List.copyOf(lostWrites);
      convergenceTimes = List.copyOf(convergenceTimes);
    }
  }

  public static Verdict check(History history) {
    List<Violation> violations = new ArrayList<>();
    violations.addAll(overlappingWrites(history));
    violations.addAll(writesOnDeposedNodes(history));
    List<LostWrite> lost = lostWrites(history);
    violations.addAll(lostWriteViolations(history, lost));
    List<Duration> times = new ArrayList<>();
    for (ConvergenceCheck check : history.convergence()) {
      Optional<Duration> took =
          check.convergedNanos().map(at -> Duration.ofNanos(at - check.healedNanos()));
      took.ifPresent(times::add);
      if (took.isEmpty() || took.get().compareTo(CONVERGENCE_BOUND) > 0) {
        violations.add(new Violation(Rule.NOT_CONVERGED,
            check.healedNanos() + CONVERGENCE_BOUND.toNanos(),
            "step " + check.step() + ": the faults healed at " + history.at(check.healedNanos())
                + " and the cluster " + took.map(d -> "converged only after " + Amounts.seconds(d))
                    .orElse("had not converged when the campaign gave up waiting")
                + "; last seen: " + check.lastSeen()));
      }
    }
    return new Verdict(violations, lost, times);
  }

  /** An acknowledged write of one node, for comparing nodes. */
  private record NodeWrite(String node, Write write) {}

  /** Two acknowledged writes on different nodes whose intervals overlap. */
  static List<Violation> overlappingWrites(History history) {
    List<NodeWrite> acknowledged = new ArrayList<>();
    history.nodeWrites().forEach((node, writes) -> writes.stream()
        .filter(Write::isAcknowledged).forEach(w -> acknowledged.add(new NodeWrite(node, w))));
    acknowledged.sort(Comparator.comparingLong(w -> w.write().startNanos()));
    // Per node, its acknowledged write ending last among those started so far.
    Map<String, Write> latestEnding = new HashMap<>();
    Episodes episodes = new Episodes(history);
    for (NodeWrite current : acknowledged) {
      for (Map.Entry<String, Write> other : latestEnding.entrySet()) {
        if (!other.getKey().equals(current.node())
            && other.getValue().endNanos() - current.write().startNanos() >= 0) {
          episodes.add(pair(other.getKey(), current.node()), current.write().startNanos(),
              describeOverlap(history, other.getKey(), other.getValue(), current));
        }
      }
      latestEnding.merge(current.node(), current.write(),
          (a, b) -> b.endNanos() - a.endNanos() > 0 ? b : a);
    }
    return episodes.violations(Rule.OVERLAPPING_WRITES);
  }

  private static String pair(String a, String b) {
    return a.compareTo(b) < 0 ? a + "+" + b : b + "+" + a;
  }

  private static String describeOverlap(History history, String node, Write earlier,
      NodeWrite later) {
    return node + " and " + later.node() + " both acknowledged writes at the same time: "
        + node + "'s write " + earlier.seq() + " [" + history.at(earlier.startNanos()) + ", "
        + history.at(earlier.endNanos()) + "] and " + later.node() + "'s write "
        + later.write().seq() + " [" + history.at(later.write().startNanos()) + ", "
        + history.at(later.write().endNanos()) + "]";
  }

  /**
   * Acknowledged writes begun after a master record naming another node was seen, on a node the
   * next record does not name either.
   */
  static List<Violation> writesOnDeposedNodes(History history) {
    List<MasterChange> masters = history.masters();
    Episodes episodes = new Episodes(history);
    history.nodeWrites().forEach((node, writes) -> {
      for (Write write : writes) {
        if (!write.isAcknowledged()) {
          continue;
        }
        int current = lastSeenBefore(masters, write.startNanos());
        if (current < 0 || masters.get(current).node().equals(node)) {
          continue;
        }
        boolean beingPromoted = current + 1 < masters.size()
            ? masters.get(current + 1).node().equals(node)
            : history.stuckSince().stream().anyMatch(since -> write.startNanos() - since > 0);
        if (!beingPromoted) {
          MasterChange master = masters.get(current);
          episodes.add(node + "@" + master.epoch(), write.startNanos(),
              node + " acknowledged write " + write.seq() + " begun at "
                  + history.at(write.startNanos()) + ", after the master record of epoch "
                  + master.epoch() + " naming " + master.node() + " was seen at "
                  + history.at(master.observedNanos()));
        }
      }
    });
    return episodes.violations(Rule.WRITE_ON_DEPOSED_NODE);
  }

  /** The index of the last master record seen before {@code nanos}; -1 when none was. */
  private static int lastSeenBefore(List<MasterChange> masters, long nanos) {
    int found = -1;
    for (int i = 0; i < masters.size(); i++) {
      if (masters.get(i).observedNanos() - nanos < 0) {
        found = i;
      }
    }
    return found;
  }

  /** The client's acknowledged writes missing on the final primary, each with its cause. */
  static List<LostWrite> lostWrites(History history) {
    if (history.onFinalPrimary().isEmpty()) {
      return List.of();
    }
    Set<Long> present = history.onFinalPrimary().get();
    List<LostWrite> lost = new ArrayList<>();
    for (Write write : history.clientWrites()) {
      if (!write.isAcknowledged() || present.contains(write.seq())) {
        continue;
      }
      Optional<MasterChange> change = history.masters().stream()
          .filter(m -> m.observedNanos() - write.startNanos() > 0)
          .findFirst();
      LostWrite.Cause cause;
      if (change.isEmpty()) {
        cause = LostWrite.Cause.NO_MASTER_CHANGE;
      } else if (change.get().isSwitchover()) {
        cause = LostWrite.Cause.SWITCHOVER;
      } else if (history.zeroLoss().stream().anyMatch(w -> w.contains(write.endNanos()))) {
        cause = LostWrite.Cause.SYNCHRONOUS_FAILOVER;
      } else {
        cause = LostWrite.Cause.ASYNCHRONOUS_FAILOVER;
      }
      lost.add(new LostWrite(write, change, cause));
    }
    return lost;
  }

  /** One violation per master change (or none) and cause that lost promised writes. */
  private static List<Violation> lostWriteViolations(History history, List<LostWrite> lost) {
    Map<String, List<LostWrite>> byChange = new java.util.LinkedHashMap<>();
    for (LostWrite write : lost) {
      if (write.cause().isViolation()) {
        String key = write.cause() + write.change().map(c -> "@" + c.epoch()).orElse("");
        byChange.computeIfAbsent(key, k -> new ArrayList<>()).add(write);
      }
    }
    List<Violation> violations = new ArrayList<>();
    for (List<LostWrite> writes : byChange.values()) {
      LostWrite first = writes.get(0);
      LostWrite last = writes.get(writes.size() - 1);
      String what = switch (first.cause()) {
        case SWITCHOVER -> "in the switchover to " + first.change().orElseThrow().node()
            + " (epoch " + first.change().orElseThrow().epoch() + ")";
        case SYNCHRONOUS_FAILOVER -> "in synchronous mode, in the failover to "
            + first.change().orElseThrow().node() + " (epoch "
            + first.change().orElseThrow().epoch() + ")";
        case NO_MASTER_CHANGE -> "although no master record followed them";
        case ASYNCHRONOUS_FAILOVER -> throw new IllegalStateException("not a violation");
      };
      violations.add(new Violation(Rule.ACKNOWLEDGED_WRITE_LOST, first.write().endNanos(),
          writes.size() + " acknowledged client write(s) lost " + what + ": sequence numbers "
              + first.write().seq() + (writes.size() > 1 ? " to " + last.write().seq() : "")
              + ", acknowledged from " + history.at(first.write().endNanos()) + " to "
              + history.at(last.write().endNanos())));
    }
    return violations;
  }

  /**
   * Groups violations of one rule by key (two nodes, a node and a master record) into episodes:
   * a new episode begins after a pause longer than {@link #EPISODE_GAP}.
   */
  private static final class Episodes {
    private final History history;
    private final Map<String, Episode> open = new HashMap<>();
    private final List<Episode> all = new ArrayList<>();

    Episodes(History history) {
      this.history = history;
    }

    private static final class Episode {
      final long firstNanos;
      final String first;
      long lastNanos;
      int count;

      Episode(long nanos, String description) {
        this.firstNanos = nanos;
        this.lastNanos = nanos;
        this.first = description;
        this.count = 1;
      }
    }

    void add(String key, long nanos, String description) {
      Episode episode = open.get(key);
      if (episode != null && nanos - episode.lastNanos <= EPISODE_GAP.toNanos()) {
        episode.lastNanos = nanos;
        episode.count++;
        return;
      }
      Episode fresh = new Episode(nanos, description);
      open.put(key, fresh);
      all.add(fresh);
    }

    List<Violation> violations(Rule rule) {
      return all.stream()
          .map(e -> new Violation(rule, e.firstNanos, e.first + (e.count > 1
              ? "; " + e.count + " such writes until " + history.at(e.lastNanos) : "")))
          .toList();
    }
  }
}
