package io.baton.agent.supervisor;

import io.baton.agent.clock.Clocks;
import io.baton.agent.clock.SuspendDetector;
import io.baton.agent.convergence.Action;
import io.baton.agent.convergence.ConvergenceTable;
import io.baton.agent.convergence.Observed;
import io.baton.agent.convergence.Situation;
import io.baton.agent.fencing.Lease;
import io.baton.agent.postgres.PostgresControl;
import io.baton.agent.postgres.PostgresException;
import io.baton.events.AgentStatus;
import io.baton.events.Assignment;
import io.baton.events.AssignmentRef;
import io.baton.events.Convergence;
import io.baton.events.DataDirectoryStatus;
import io.baton.events.Health;
import io.baton.events.Heartbeat;
import io.baton.events.PostgresStatus;
import io.baton.events.Printable;
import io.baton.events.Role;
import io.baton.events.Upstream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's loop: take the newest assignment, observe PostgreSQL, ask the {@link
 * ConvergenceTable} for the next action, carry it out, report. What the agent knows and has
 * promised is one immutable {@link AgentMemory}, changed only by its pure transitions; the
 * decisions are the table's; the I/O is here and behind {@link PostgresControl}. The clocks are
 * injected, so tests drive {@link #turn()} and {@link #guardLease()} one step at a time against a
 * model of PostgreSQL.
 *
 * <p>Besides the loop, a lease guard looks every {@value #GUARD_MILLIS} ms whether PostgreSQL may
 * accept writes without a lease, and fences it at once, without waiting for an action in progress
 * (the watchdog process does the same when this whole process is frozen, dead or busy). The guard
 * also voids the lease when the machine was suspended.
 */
public final class Supervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
  static final long GUARD_MILLIS = 20;
  private static final Duration LONGEST_RETRY = Duration.ofSeconds(10);

  private final AgentSettings settings;
  private final PostgresControl postgres;
  private final AssignmentSource assignments;
  private final Lease lease;
  private final HeartbeatSink heartbeats;
  private final Clocks clocks;
  private final SuspendDetector suspensions;
  private final String incarnation = UUID.randomUUID().toString();
  private final AtomicReference<AgentMemory> memory;
  private final Semaphore wake = new Semaphore(0);
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "baton-agent-timers");
        t.setDaemon(true);
        return t;
      });
  private final Thread loop = new Thread(this::run, "baton-supervisor");
  private volatile boolean running = true;
  /** Guarded by {@code this}: heartbeats are numbered and sent in one order. */
  private long sequence;
  // Used by the loop thread only.
  private boolean actedLastTurn;
  private int failuresInARow;

  public Supervisor(
      AgentSettings settings,
      PostgresControl postgres,
      AssignmentSource assignments,
      Lease lease,
      HeartbeatSink heartbeats,
      Clocks clocks) {
    this.settings = settings;
    this.postgres = postgres;
    this.assignments = assignments;
    this.lease = lease;
    this.heartbeats = heartbeats;
    this.clocks = clocks;
    this.suspensions = new SuspendDetector(clocks, SuspendDetector.DEFAULT_THRESHOLD);
    this.memory =
        new AtomicReference<>(
            AgentMemory.starting(postgres.observe(), Optional.empty(), clocks.monotonicNanos()));
  }

  /**
   * Starts deciding. The assignments must have been read to the end first: a restarted agent
   * never trusts a primary assignment it finds, because it cannot know what happened while it was
   * away; it relinquishes it, and the coordinator fails over or reassigns it with a newer
   * generation.
   */
  public void start() {
    takeOver();
    timers.scheduleAtFixedRate(
        this::publishHeartbeat, 0, settings.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
    timers.scheduleAtFixedRate(this::guardLease, 0, GUARD_MILLIS, TimeUnit.MILLISECONDS);
    loop.start();
  }

  /** What {@link #start()} does before its threads: take over what an earlier process left. */
  void takeOver() {
    Optional<Assignment> found = assignments.latest();
    memory.set(AgentMemory.starting(postgres.observe(), found, clocks.monotonicNanos()));
    found.ifPresent(a -> LOG.info(
        "cluster={} node={} epoch={} found assignment {} (generation {}); a new agent process"
            + " does not accept writes under it",
        settings.cluster(), settings.node(), a.epoch(), a.goal().state(), a.generation()));
  }

  /** Wakes the loop at once (a new assignment, PostgreSQL exited, a request). */
  public void wake() {
    wake.release();
  }

  public AgentMemory memory() {
    return memory.get();
  }

  public PostgresStatus observed() {
    return memory.get().postgres();
  }

  public Optional<Assignment> assignment() {
    return memory.get().accepted();
  }

  public boolean leaseValid() {
    return lease.valid(clocks.monotonicNanos());
  }

  public boolean fenced() {
    return memory.get().fenced();
  }

  public String detail() {
    return memory.get().detail();
  }

  public Convergence convergence() {
    return memory.get().convergence();
  }

  /** Whether this node is assigned to be the primary (the handover asks). */
  public boolean assignedPrimary() {
    return memory.get().assignedPrimary();
  }

  /**
   * preStop: no candidate or synchronous standby for {@code expiresAfter}, which a later handover
   * renews. The node normally stops long before; one that stays becomes a candidate again.
   */
  public void markLeaving(Duration expiresAfter) {
    boolean already = memory.get().leaving();
    update(m -> m.markLeaving(clocks.monotonicNanos() + expiresAfter.toNanos()));
    if (!already) {
      LOG.info("cluster={} node={} leaving: no longer a candidate or synchronous standby for {}"
          + " s", settings.cluster(), settings.node(), expiresAfter.toSeconds());
      publishHeartbeat();
    }
  }

  /**
   * preStop on the primary: leaving for {@code expiresAfter}, and asking in every heartbeat until
   * then, under {@code requestId}, for the primary role to be handed over. The heartbeat goes out
   * at once.
   */
  public void askHandover(String requestId, Duration expiresAfter) {
    update(m -> m.askHandover(requestId, clocks.monotonicNanos() + expiresAfter.toNanos()));
    LOG.info("cluster={} node={} leaving: asking in its heartbeats (id {}) for its primary role"
        + " to be handed over", settings.cluster(), settings.node(), requestId);
    publishHeartbeat();
  }

  /** Restarts PostgreSQL in its current role at the loop's next turn. */
  public void requestRestart(String why) {
    update(m -> m.restartRequested(Optional.of(why)));
    wake();
  }

  /** The watchdog process fenced PostgreSQL: it does so only once the lease ran out. */
  public void watchdogFenced() {
    update(AgentMemory::fence);
    wake();
  }

  /** The heartbeat this agent would send now (without using up a sequence number). */
  public synchronized Heartbeat heartbeat() {
    return heartbeat(memory.get(), sequence);
  }

  private Heartbeat heartbeat(AgentMemory m, long number) {
    AgentStatus agent =
        new AgentStatus(
            m.accepted().map(AssignmentRef::of), m.convergence(), m.detail(), m.fenced(),
            m.leaving(), m.relinquished(), m.drainedAt(), settings.fenceAfter(),
            settings.priority(), settings.noFailover(), settings.apiUrl(), m.handover());
    return new Heartbeat(
        settings.cluster(), settings.node(), incarnation, number, Instant.now(), m.postgres(), agent);
  }

  /** Built and handed over under one lock, so heartbeats are appended in sequence order. */
  synchronized void publishHeartbeat() {
    try {
      heartbeats.publish(heartbeat(memory.get(), sequence++));
    } catch (RuntimeException e) {
      LOG.warn("cannot build or send a heartbeat: {}", e.toString());
    }
  }

  /**
   * Fences PostgreSQL when it may accept writes and the lease is not valid, whatever the loop is
   * doing and whatever the agent last saw of PostgreSQL (it may not be able to log in).
   */
  void guardLease() {
    long now = clocks.monotonicNanos();
    Duration suspended = suspensions.suspendedSinceLastLook();
    if (!suspended.isZero()) {
      lease.voidNow(now);
      LOG.warn(
          "cluster={} node={} the machine was suspended for {}: the lease is void until a heartbeat"
              + " sent from now on is acknowledged", settings.cluster(), settings.node(), suspended);
    }
    if (lease.valid(now) || !postgres.possiblyWritable()) {
      return;
    }
    AgentMemory m = memory.get();
    LOG.warn(
        "cluster={} node={} epoch={} fencing: PostgreSQL may accept writes and no heartbeat was"
            + " acknowledged for fence-after {}",
        settings.cluster(), settings.node(), epoch(m), settings.fenceAfter());
    // Marked before the fence, which takes tens of milliseconds: the loop, woken by the
    // postmaster's exit, must not take it for a crash.
    update(AgentMemory::fence);
    postgres.fence();
    wake();
  }

  private void run() {
    while (running) {
      boolean acted = false;
      try {
        acted = turn();
      } catch (RuntimeException e) {
        LOG.error("cluster={} node={} supervisor turn failed: {}",
            settings.cluster(), settings.node(), e.toString(), e);
        report(Convergence.FAILED, "agent error: " + e.getMessage());
      }
      // After an action, look again at once (a drain reports its last position without waiting a
      // tick), but only once in a row: an action that does not take effect must not spin.
      boolean again = acted && !actedLastTurn;
      actedLastTurn = acted;
      if (again) {
        continue;
      }
      // A failing action is retried with growing pauses, not every observe interval.
      failuresInARow = convergence() == Convergence.FAILED ? failuresInARow + 1 : 0;
      long pause =
          Math.min(
              LONGEST_RETRY.toMillis(),
              settings.observeInterval().toMillis() << Math.min(failuresInARow, 10));
      try {
        wake.tryAcquire(pause, TimeUnit.MILLISECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One accept-observe-decide-act round; returns whether it acted on PostgreSQL. */
  boolean turn() {
    long now = clocks.monotonicNanos();
    // Accepted before observing, so that every heartbeat's observation was taken under the
    // assignment it names (the coordinator confirms a synchronous standby from it).
    boolean accepted = acceptNewest(now);
    PostgresStatus status = postgres.observe();
    boolean possiblyWritable = postgres.possiblyWritable();
    AgentMemory before = memory.get();
    Observed state = Observed.of(status);
    boolean isRunning = state == Observed.RUNNING_PRIMARY || state == Observed.RUNNING_STANDBY;
    // A receiver that cannot follow its upstream onto a new timeline (its WAL went past the fork)
    // streams the old timeline to its end, waits and starts again every few seconds: streaming
    // counts only when seen at this look and the one before, or it would never be rewound.
    AgentMemory m = update(x -> x.observed(
        status, isRunning, streaming(x, status) && streaming(x, x.postgres()), now));
    if (before.leaving() && !m.leavingExpired(now).leaving()) {
      m = update(x -> x.leavingExpired(now));
      LOG.info("cluster={} node={} leaving mark expired: a candidate and synchronous standby"
          + " again", settings.cluster(), settings.node());
      publishHeartbeat();
    }
    if (state == Observed.STOPPED_PRIMARY && !m.stoppedByAgent() && lease.ranOut(now)) {
      // The watchdog process fences at the same deadline as the lease guard, and the postmaster's
      // exit may wake this loop before either says so: down after the lease ran out is fenced.
      m = update(AgentMemory::fence);
    }
    if (accepted || !Significant.of(status).equals(Significant.of(before.postgres()))) {
      // The coordinator waits for exactly these reports (an assignment taken, a standby that lost
      // its primary, a primary whose synchronous standby left): not for the next interval.
      publishHeartbeat();
    }
    if (m.restartRequest().isPresent()) {
      restart(m.restartRequest().get());
      update(x -> x.restartRequested(Optional.empty()));
      return true;
    }
    Action action = ConvergenceTable.decide(situation(m, lease.valid(now), possiblyWritable, now));
    carryOut(action);
    return !(action instanceof Action.Wait
            || action instanceof Action.Converged
            || action instanceof Action.Relinquish)
        && convergence() != Convergence.FAILED;
  }

  /** The parts of an observation whose change is worth a heartbeat at once; LSNs are not. */
  private record Significant(
      Health health,
      Role role,
      OptionalLong timeline,
      Optional<String> receiver,
      Set<String> replicas,
      Optional<String> synchronousStandbyNames) {

    static Significant of(PostgresStatus status) {
      return new Significant(
          status.health(), status.role(), status.timeline(),
          status.receiver()
              .map(r -> r.status() + "@" + r.upstreamHost().orElse("") + ":" + r.upstreamPort()),
          status.replicas().stream()
              .map(r -> r.application() + "/" + r.state() + "/" + r.syncState())
              .collect(Collectors.toSet()),
          status.synchronousStandbyNames());
    }
  }

  private boolean acceptNewest(long now) {
    Optional<Assignment> newest = assignments.latest();
    if (newest.isEmpty() || memory.get().generation() >= newest.get().generation()) {
      return false;
    }
    Assignment assignment = newest.get();
    update(m -> m.accept(assignment, now));
    LOG.info(
        "cluster={} node={} epoch={} accepted assignment {} (generation {}): {}",
        settings.cluster(), settings.node(), assignment.epoch(), assignment.goal().state(),
        assignment.generation(), Printable.escape(assignment.reason()));
    return true;
  }

  /** Whether a standby streams from its assigned upstream (or has nothing to stream from). */
  private static boolean streaming(AgentMemory m, PostgresStatus status) {
    Optional<Upstream> upstream = m.assignedUpstream();
    return upstream.isEmpty()
        || Observed.of(status) != Observed.RUNNING_STANDBY
        || status.receiver()
            .filter(r -> r.isStreamingFrom(upstream.get().host(), upstream.get().port()))
            .isPresent();
  }

  private Situation situation(AgentMemory m, boolean leaseValid, boolean possiblyWritable, long now) {
    Optional<Upstream> upstream = m.assignedUpstream();
    Duration notStreaming = Duration.ofNanos(now - m.streamingSeenNanos());
    boolean reachable =
        upstream.isPresent()
            && notStreaming.compareTo(settings.rewindAfter()) >= 0
            && postgres.reachable(upstream.get());
    return new Situation(
        m.accepted(), m.postgres(), leaseValid, m.relinquished(), m.lastPrimaryGeneration(),
        m.fencedGeneration(), possiblyWritable, m.stoppedByAgent(), m.ranSinceAssigned(),
        Duration.ofNanos(now - m.acceptedAtNanos()), notStreaming, reachable,
        m.configuredUpstream(), settings.timings());
  }

  private void carryOut(Action action) {
    try {
      if (action instanceof Action.Wait wait) {
        report(wait.status(), wait.why());
      } else if (action instanceof Action.Converged converged) {
        if (memory.get().assignedDrained()) {
          update(m -> m.drained(m.postgres().dataDirectory().map(DataDirectoryStatus::checkpointLsn)));
        }
        report(Convergence.CONVERGED, converged.why());
      } else if (action instanceof Action.Relinquish relinquish) {
        relinquish(relinquish.generation(), relinquish.why());
      } else {
        act(action);
      }
    } catch (PostgresException e) {
      LOG.warn("cluster={} node={} {} failed: {}",
          settings.cluster(), settings.node(), describe(action), e.getMessage());
      report(Convergence.FAILED, action.why() + ": failed: " + e.getMessage());
    }
  }

  private void act(Action action) throws PostgresException {
    report(Convergence.CONVERGING, action.why());
    LOG.info("cluster={} node={} epoch={} {}: {}",
        settings.cluster(), settings.node(), epoch(memory.get()), describe(action), action.why());
    if (action instanceof Action.Fence) {
      update(m -> lease.valid(clocks.monotonicNanos()) ? m.stopByAgent() : m.fence());
      postgres.fence();
    } else if (action instanceof Action.StopCleanly) {
      postgres.stopCleanly();
      update(AgentMemory::stopByAgent);
      if (memory.get().assignedDrained()) {
        // The coordinator waits for exactly this to promote the target: report it with the
        // heartbeat that follows this action, not a turn later.
        AgentMemory m = update(x -> x.drained(
            postgres.controlData()
                .filter(DataDirectoryStatus::isCleanlyShutDown)
                .map(DataDirectoryStatus::checkpointLsn)));
        m.drainedAt().ifPresent(at -> update(x -> x.report(Convergence.CONVERGED, "drained at " + at)));
      }
    } else if (action instanceof Action.StartPrimary start) {
      becomeWritable(() -> postgres.start(
          new PostgresControl.StartAs.Primary(start.synchronousStandbyNames())));
      update(m -> m.configured(Optional.empty()));
    } else if (action instanceof Action.StartStandby start) {
      postgres.start(new PostgresControl.StartAs.Standby(start.upstream()));
      update(m -> m.startByAgent().configured(start.upstream()));
    } else if (action instanceof Action.Promote promote) {
      becomeWritable(() -> postgres.promote(promote.timelineAbove()));
      update(m -> m.configured(Optional.empty()));
    } else if (action instanceof Action.Follow follow) {
      postgres.follow(follow.upstream());
      update(m -> m.configured(Optional.of(follow.upstream())));
    } else if (action instanceof Action.Rejoin rejoin) {
      Observed state = Observed.of(memory.get().postgres());
      if (state != Observed.STOPPED_PRIMARY && state != Observed.STOPPED_STANDBY) {
        postgres.stopCleanly();
        update(AgentMemory::stopByAgent);
      }
      postgres.rewind(rejoin.upstream());
      postgres.start(new PostgresControl.StartAs.Standby(Optional.of(rejoin.upstream())));
      update(m -> m.startByAgent().configured(Optional.of(rejoin.upstream())));
    } else if (action instanceof Action.ApplySynchronousStandbyNames apply) {
      postgres.setSynchronousStandbyNames(apply.value());
    }
    PostgresStatus after = postgres.observe();
    update(m -> m.withPostgres(after));
    publishHeartbeat();
  }

  /** A step that makes PostgreSQL writable. */
  private interface WritableStep {
    void run() throws PostgresException;
  }

  /**
   * Runs a step that makes PostgreSQL writable. The lease guard and the watchdog watch it
   * throughout (they fence whatever may accept writes once the lease ran out); the lease is checked
   * again right after, so a start that outlived the lease is fenced at once.
   */
  private void becomeWritable(WritableStep step) throws PostgresException {
    step.run();
    update(AgentMemory::startByAgent);
    if (!lease.valid(clocks.monotonicNanos())) {
      update(AgentMemory::fence);
      postgres.fence();
      throw new PostgresException("the lease ran out while PostgreSQL was becoming writable: fenced");
    }
  }

  private void relinquish(long generation, String why) {
    if (memory.get().relinquished().orElse(-1) >= generation) {
      return;
    }
    update(m -> m.relinquish(generation));
    LOG.warn("cluster={} node={} epoch={} relinquished the primary role of generation {}: {}",
        settings.cluster(), settings.node(), epoch(memory.get()), generation, why);
    report(Convergence.WAITING, "relinquished generation " + generation + ": " + why);
    publishHeartbeat();
  }

  private void restart(String why) {
    AgentMemory m = memory.get();
    LOG.info("cluster={} node={} restarting PostgreSQL: {}", settings.cluster(), settings.node(), why);
    try {
      postgres.stopCleanly();
      update(AgentMemory::stopByAgent);
      if (Observed.of(m.postgres()) == Observed.RUNNING_PRIMARY) {
        becomeWritable(() -> postgres.start(new PostgresControl.StartAs.Primary(
            m.postgres().synchronousStandbyNames().orElse(""))));
      } else {
        postgres.start(new PostgresControl.StartAs.Standby(m.assignedUpstream()));
        update(AgentMemory::startByAgent);
      }
      report(Convergence.CONVERGING, "restarted: " + why);
    } catch (PostgresException e) {
      report(Convergence.FAILED, "restart failed: " + e.getMessage());
    }
    PostgresStatus after = postgres.observe();
    update(x -> x.withPostgres(after));
    publishHeartbeat();
  }

  private void report(Convergence status, String sentence) {
    AgentMemory before = memory.get();
    update(m -> m.report(status, sentence));
    if (status != before.convergence() || !sentence.equals(before.detail())) {
      publishHeartbeat();
    }
  }

  private AgentMemory update(UnaryOperator<AgentMemory> transition) {
    return memory.updateAndGet(transition);
  }

  private static long epoch(AgentMemory m) {
    return m.accepted().map(Assignment::epoch).orElse(0L);
  }

  private static String describe(Action action) {
    String name = action.getClass().getSimpleName();
    return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    running = false;
    wake();
    try {
      loop.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timers.shutdownNow();
  }
}
