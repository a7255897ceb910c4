package io.baton.coordinator.decision;

import io.baton.coordinator.cluster.ClusterState;
import io.baton.coordinator.cluster.NodeView;
import io.baton.coordinator.cluster.Phase;
import io.baton.coordinator.replication.SyncPlanner;
import io.baton.events.Amounts;
import io.baton.events.EventType;
import io.baton.events.Health;
import io.baton.events.Heartbeat;
import io.baton.events.PostgresStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * Folds what the agents report into the node views before any transition is considered, and
 * says in the events topic what changed: a node discovered, lost, back, leaving, unhealthy,
 * following. Observations never assign anything.
 */
final class Observations {
  private Observations() {}

  /**
   * Whether the heartbeat is older than one already seen from the same agent process, or comes
   * from an agent process the node has replaced since: a signed heartbeat appended again by
   * someone who recorded it changes nothing.
   */
  static boolean isStale(ClusterState state, Heartbeat heartbeat) {
    Optional<NodeView> view = state.node(heartbeat.node());
    return view.filter(v -> v.fromRetiredIncarnation(heartbeat)).isPresent()
        || view.map(NodeView::heartbeat)
            .filter(last -> last.incarnation().equals(heartbeat.incarnation()))
            .filter(last -> heartbeat.sequence() <= last.sequence())
            .isPresent();
  }

  static void record(Change c, Heartbeat heartbeat) {
    Instant now = c.now();
    if (c.state().phase() instanceof Phase.AwaitingPrimary awaiting && awaiting.since().isEmpty()) {
      c.phase(new Phase.AwaitingPrimary(Optional.of(now), awaiting.blockedReason()));
    }
    Optional<NodeView> previous = c.state().node(heartbeat.node());
    NodeView view =
        previous.map(v -> v.withHeartbeat(heartbeat, now)).orElseGet(() -> NodeView.first(heartbeat, now));
    PostgresStatus postgres = heartbeat.postgres();
    if (previous.isEmpty()) {
      c.emit(
          EventType.NODE_DISCOVERED, view.name(),
          "first heartbeat from " + view.name() + ": " + describe(postgres) + ", agent "
              + heartbeat.agent().convergence().wire() + " (" + heartbeat.agent().detail() + ")");
    } else if (previous.get().lost()) {
      c.emit(
          EventType.NODE_RETURNED, view.name(),
          view.name() + " is back after " + Amounts.seconds(previous.get().silentFor(now))
              + " without heartbeats: " + describe(postgres));
      view = view.withLost(false);
    }
    if (heartbeat.agent().leaving() && previous.map(p -> !p.agent().leaving()).orElse(true)) {
      c.emit(
          EventType.NODE_LEAVING, view.name(),
          view.name() + " is leaving: it will not be promoted or made synchronous");
    }
    view = health(c, previous, view);
    view = following(c, view);
    if (!view.marginWarned()
        && c.policy().failoverAfterFor(view).compareTo(c.policy().failoverAfter()) > 0) {
      c.emit(
          EventType.FENCING_MARGIN_TOO_SMALL, view.name(),
          view.name() + " fences after " + Amounts.seconds(heartbeat.agent().fenceAfter())
              + ", which leaves less than the fencing margin of "
              + Amounts.seconds(c.policy().fencingMargin()) + " before failover-after "
              + Amounts.seconds(c.policy().failoverAfter()) + ": its failover waits "
              + Amounts.seconds(c.policy().failoverAfterFor(view)) + " instead");
      view = view.withMarginWarned();
    }
    unexpectedPrimary(c, previous, view);
    c.node(view);
    if (c.state().masterNode().filter(view.name()::equals).isPresent()) {
      c.replace(c.state().withSync(SyncPlanner.observe(view, c.state().sync())));
    }
  }

  /** Marks nodes lost whose heartbeats stopped for the failover timeout of broker time. */
  static void markLost(Change c) {
    for (NodeView node : c.state().nodes().values()) {
      if (!node.lost() && c.policy().isLost(node, c.now())) {
        c.node(node.withLost(true));
        boolean isMaster = c.state().masterNode().filter(node.name()::equals).isPresent();
        if (!isMaster) {
          c.emit(
              EventType.NODE_LOST, node.name(),
              node.name() + " lost: no heartbeat for " + Amounts.seconds(node.silentFor(c.now()))
                  + " of broker time; clients are not affected");
        }
      }
    }
  }

  private static NodeView health(Change c, Optional<NodeView> previous, NodeView view) {
    boolean up = view.postgres().health() == Health.UP;
    boolean wasUp =
        previous.map(p -> p.postgres().health() == Health.UP && p.unhealthySince().isEmpty())
            .orElse(true);
    if (!up && view.unhealthySince().isEmpty()) {
      if (previous.isPresent() && wasUp) {
        c.emit(
            EventType.NODE_UNHEALTHY, view.name(),
            view.name() + ": PostgreSQL " + view.postgres().health().wire()
                + view.postgres().error().map(e -> " (" + e + ")").orElse("") + "; agent: "
                + view.agent().detail());
      }
      return view.withUnhealthySince(Optional.of(c.now()));
    }
    if (up && view.unhealthySince().isPresent()) {
      c.emit(
          EventType.NODE_HEALTHY, view.name(),
          view.name() + ": PostgreSQL up again as " + view.postgres().role().wire());
      return view.withUnhealthySince(Optional.empty());
    }
    return view;
  }

  private static NodeView following(Change c, NodeView view) {
    Optional<String> upstream =
        view.postgres().receiver()
            .filter(r -> r.isStreaming())
            .flatMap(
                r ->
                    c.state().nodeViews()
                        .filter(n -> !n.name().equals(view.name()))
                        .filter(n -> r.isStreamingFrom(n.postgres().host(), n.postgres().port()))
                        .map(NodeView::name)
                        .findFirst());
    if (upstream.equals(view.streamingFrom())) {
      return view;
    }
    Optional<String> master = c.state().masterNode();
    if (upstream.isPresent() && upstream.equals(master)) {
      boolean wasPrimary = view.rejoining();
      c.emit(
          wasPrimary ? EventType.NODE_REJOINED : EventType.STANDBY_FOLLOWING, view.name(),
          view.name() + (wasPrimary ? " rejoined as a standby: streaming from " : " streams from ")
              + upstream.get() + " on timeline " + view.timeline());
      return view.withStreamingFrom(upstream, false);
    }
    return view.withStreamingFrom(upstream, view.rejoining());
  }

  private static void unexpectedPrimary(Change c, Optional<NodeView> previous, NodeView view) {
    boolean isMaster = c.state().masterNode().filter(view.name()::equals).isPresent();
    boolean isBeingPromoted =
        c.state().phase() instanceof Phase.Promoting promoting
            && promoting.candidate().equals(view.name());
    boolean wasWritable = previous.map(p -> p.postgres().isRunningPrimary()).orElse(false);
    if (c.state().master().isPresent() && !isMaster && !isBeingPromoted
        && view.postgres().isRunningPrimary()
        && !wasWritable) {
      c.emit(
          EventType.UNEXPECTED_PRIMARY, view.name(),
          view.name() + " reports itself a writable primary, but " + c.state().masterNode().get()
              + " is the master (epoch " + c.state().epoch() + "): it is assigned to rejoin as a"
              + " standby");
    }
  }

  static String describe(PostgresStatus postgres) {
    String where = postgres.host() + ":" + postgres.port();
    if (postgres.health() != Health.UP) {
      return "PostgreSQL " + postgres.health().wire() + " at " + where
          + postgres.dataDirectory().map(d -> ", data directory " + d.state()).orElse("");
    }
    return postgres.role().wire() + " at " + where
        + postgres.timeline().stream().mapToObj(t -> ", timeline " + t).findFirst().orElse("")
        + postgres.walPosition().map(l -> ", WAL " + l).orElse("")
        + postgres.serverVersion().map(v -> ", PostgreSQL " + v).orElse("");
  }
}
