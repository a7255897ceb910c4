package io.baton.coordinator.candidate;

import io.baton.coordinator.cluster.ClusterState;
import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.Phase;
import io.baton.coordinator.policy.Policy;
import io.baton.events.Amounts;
import io.baton.events.Lsn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which standby to promote. Eligible ({@link Eligibility}): alive, running as a standby, on the
 * primary's database system and timeline, not leaving, not tagged no-failover; in synchronous mode
 * only a standby known to hold every acknowledged commit. Among the eligible, {@link
 * Eligibility#BEST_FIRST} wins.
 */
public final class CandidateChooser {
  private CandidateChooser() {}

  /** The choice, or why there is none. */
  public sealed interface Choice {
    record Chosen(NodeView node, String explanation) implements Choice {}

    record Blocked(String reason) implements Choice {}

    /** No standby is eligible only because none has reported since the primary's last sign of life. */
    record Waiting(String reason) implements Choice {}
  }

  /**
   * A candidate to replace a lost primary: measured against every write acknowledged so far
   * ({@link Phase.PrimaryLost#floor()}), on positions reported after the lost writers were last
   * heard. While any live node has not reported since, the choice waits (unless an operator named
   * the candidate): the most advanced standby may simply not have spoken yet, after a Kafka outage
   * that silenced everyone for instance.
   */
  public static Choice forFailover(
      ClusterState state, Phase.PrimaryLost lost, Instant now, Policy policy) {
    NodeView lostView = state.node(lost.node()).orElseThrow();
    Optional<String> requested = lost.requestedCandidate();
    boolean force = lost.force();
    Lsn floor = lost.floor();
    long timeline = Math.max(lostView.timeline(), state.master().map(m -> m.timeline()).orElse(0L));
    boolean synchronous = state.settings().replicationMode().synchronous();
    List<NodeView> eligible = new ArrayList<>();
    List<String> excluded = new ArrayList<>();
    List<String> unreported = new ArrayList<>();
    for (NodeView node : state.nodes().values()) {
      if (node.name().equals(lost.node())) {
        continue;
      }
      boolean fresh = node.lastSeen().isAfter(lost.heardUntil());
      if (!fresh && !policy.isLost(node, now)) {
        unreported.add(node.name());
      }
      if (requested.filter(r -> !r.equals(node.name())).isPresent()) {
        continue;
      }
      boolean promotable = synchronous && state.sync().promotable().contains(node.name());
      Optional<String> why = Eligibility.whyNot(state, node, now, policy);
      if (why.isEmpty() && node.timeline() < timeline && !promotable) {
        // A promotable synchronous standby holds every acknowledged write whatever its timeline.
        why = Optional.of("on timeline " + node.timeline() + ", behind the primary's " + timeline);
      }
      if (why.isEmpty() && !fresh) {
        // Its WAL position may predate the primary's last writes: wait for a report (agents send
        // one as soon as their WAL receiver notices the primary gone).
        why = Optional.of("no report since " + lost.node() + " was last seen");
      }
      if (why.isEmpty() && synchronous && !force && !promotable) {
        why = Optional.of("not known to hold every acknowledged write (not the synchronous standby)");
      }
      long lag = floor.bytesAfter(node.walPosition());
      if (why.isEmpty() && !promotable && !force && lag > policy.maximumLagOnFailover()) {
        why =
            Optional.of(
                "lags " + Amounts.bytes(lag) + " behind the last acknowledged position " + floor
                    + " (maximum-lag-on-failover " + Amounts.bytes(policy.maximumLagOnFailover())
                    + ")");
      }
      if (why.isPresent()) {
        excluded.add(node.name() + ": " + why.get());
      } else {
        eligible.add(node);
      }
    }
    if (requested.isEmpty() && !unreported.isEmpty()) {
      return new Choice.Waiting(
          "waiting for " + String.join(", ", unreported) + " to report since " + lost.node()
              + " was last heard"
              + (excluded.isEmpty() ? "" : "; not eligible: " + String.join("; ", excluded)));
    }
    return choose(eligible, excluded, requested, "no standby can be promoted");
  }

  /** A target for a switchover away from the current master. */
  public static Choice forSwitchover(
      ClusterState state, Instant now, Policy policy, Optional<String> requested) {
    NodeView master = state.masterNode().flatMap(state::node).orElseThrow();
    Lsn primaryPosition = master.walPosition();
    List<NodeView> eligible = new ArrayList<>();
    List<String> excluded = new ArrayList<>();
    for (NodeView node : state.nodes().values()) {
      if (node.name().equals(master.name())
          || requested.filter(r -> !r.equals(node.name())).isPresent()) {
        continue;
      }
      Optional<String> why = Eligibility.whyNot(state, node, now, policy);
      if (why.isEmpty() && !Eligibility.streamsFrom(master, node.name())) {
        why = Optional.of("not streaming from " + master.name());
      }
      long lag = primaryPosition.bytesAfter(node.walPosition());
      if (why.isEmpty() && lag > policy.maximumLagOnFailover()) {
        why =
            Optional.of(
                "lags " + Amounts.bytes(lag) + " behind " + master.name() + " (more than "
                    + Amounts.bytes(policy.maximumLagOnFailover()) + ")");
      }
      if (why.isPresent()) {
        excluded.add(node.name() + ": " + why.get());
      } else {
        eligible.add(node);
      }
    }
    return choose(eligible, excluded, requested, "no standby can take over");
  }

  /** The best node, other than those excluded, that could take over at all. */
  public static Optional<NodeView> replacementTarget(
      ClusterState state, List<String> excluded, Instant now, Policy policy) {
    return state.nodeViews()
        .filter(node -> !excluded.contains(node.name()))
        .filter(node -> Eligibility.whyNot(state, node, now, policy).isEmpty())
        .sorted(Eligibility.BEST_FIRST)
        .findFirst();
  }

  private static Choice choose(
      List<NodeView> eligible, List<String> excluded, Optional<String> requested, String none) {
    if (eligible.isEmpty()) {
      String detail = excluded.isEmpty()
          ? requested.map(r -> r + " is not a known node").orElse("there is no other node")
          : String.join("; ", excluded);
      return new Choice.Blocked(none + ": " + detail);
    }
    eligible.sort(Eligibility.BEST_FIRST);
    NodeView best = eligible.get(0);
    String ranking =
        eligible.stream()
            .map(n -> n.name() + " " + n.walPosition() + " priority " + n.agent().priority())
            .collect(Collectors.joining(", "));
    String explanation = requested.isPresent()
        ? "requested by the operator; holds WAL up to " + best.walPosition()
        : eligible.size() == 1
            ? "the only eligible standby (" + ranking + ")"
            : "holds the most WAL, then priority (" + ranking + ")";
    if (!excluded.isEmpty()) {
      explanation += "; not eligible: " + String.join("; ", excluded);
    }
    return new Choice.Chosen(best, explanation);
  }
}
