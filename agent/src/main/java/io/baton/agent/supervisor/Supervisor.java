package io.baton.agent.supervisor;

import io.baton.agent.assignment.AssignmentFollower;
import io.baton.agent.convergence.Action;
import io.baton.agent.convergence.ConvergenceTable;
import io.baton.agent.convergence.Observed;
import io.baton.agent.convergence.Situation;
import io.baton.agent.fencing.Lease;
import io.baton.agent.fencing.Watchdog;
import io.baton.agent.heartbeat.HeartbeatPublisher;
import io.baton.agent.postgres.PostgresControl;
import io.baton.agent.postgres.PostgresException;
import io.baton.events.AgentStatus;
import io.baton.events.Assignment;
import io.baton.events.AssignmentRef;
import io.baton.events.Convergence;
import io.baton.events.DataDirectoryStatus;
import io.baton.events.Goal;
import io.baton.events.Heartbeat;
import io.baton.events.Lsn;
import io.baton.events.PostgresStatus;
import io.baton.events.Printable;
import io.baton.events.Upstream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's loop: observe PostgreSQL, take the newest assignment, ask the {@link
 * ConvergenceTable} for the next action, carry it out, report. All I/O is here or behind {@link
 * PostgresControl}; every decision is the table's.
 *
 * <p>Besides the loop, a lease guard checks every few tens of milliseconds whether PostgreSQL may
 * be writable without a lease, and fences it at once, without waiting for an action in progress;
 * the {@link Watchdog} process does the same when this whole process is frozen or gone.
 */
public final class Supervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
  private static final Duration GUARD_INTERVAL = Duration.ofMillis(20);

  private final AgentSettings settings;
  private final PostgresControl postgres;
  private final AssignmentFollower assignments;
  private final Lease lease;
  private final Watchdog watchdog;
  private final HeartbeatPublisher heartbeats;
  private final String incarnation = UUID.randomUUID().toString();
  private final Semaphore wake = new Semaphore(0);
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "baton-agent-timers");
    t.setDaemon(true);
    return t;
  });
  private final Thread loop = new Thread(this::run, "baton-supervisor");
  private volatile boolean running = true;

  // Written by the loop only; read by the heartbeat timer and the HTTP API.
  private volatile PostgresStatus observed;
  private volatile Optional<Assignment> accepted = Optional.empty();
  private volatile Convergence convergence = Convergence.UNASSIGNED;
  private volatile String detail = "starting";
  private volatile OptionalLong relinquished = OptionalLong.empty();
  private volatile OptionalLong lastPrimaryGeneration = OptionalLong.empty();
  private volatile Optional<Lsn> drainedAt = Optional.empty();
  private volatile boolean fenced;
  private volatile boolean leaving;
  /** PostgreSQL may become writable right now (starting or promoting): the lease guard watches. */
  private volatile boolean mayBecomeWritable;
  private volatile long fencedAtNanos;
  /** Written by the loop, the lease guard and the watchdog's reader: whoever fences first. */
  private volatile boolean stoppedByAgent;
  private boolean ranSinceAssigned;
  private long acceptedAtNanos = System.nanoTime();
  private long streamingLastSeenNanos = System.nanoTime();
  private long sequence;
  private volatile Optional<String> restartRequest = Optional.empty();
  private Optional<Upstream> configuredUpstream = Optional.empty();
  private boolean actedLastTurn;
  private int failuresInARow;
  private static final Duration LONGEST_RETRY = Duration.ofSeconds(10);

  public Supervisor(
      AgentSettings settings,
      PostgresControl postgres,
      AssignmentFollower assignments,
      Lease lease,
      Watchdog watchdog,
      HeartbeatPublisher heartbeats) {
    this.settings = settings;
    this.postgres = postgres;
    this.assignments = assignments;
    this.lease = lease;
    this.watchdog = watchdog;
    this.heartbeats = heartbeats;
    this.observed = postgres.observe();
  }

  /**
   * Starts deciding. The assignments must have been read to the end first: a restarted agent
   * never trusts a primary assignment it finds, because it cannot know what happened while it was
   * away (its PostgreSQL was fenced when it died); it relinquishes it, and the coordinator fails
   * over or reassigns it with a newer generation.
   */
  public void start() {
    assignments.latest().ifPresent(found -> {
      accepted = Optional.of(found);
      relinquished = OptionalLong.of(found.generation());
      if (found.goal() instanceof Goal.Primary) {
        lastPrimaryGeneration = OptionalLong.of(found.generation());
      }
      LOG.info(
          "cluster={} node={} epoch={} found assignment {} (generation {}); a new agent process does"
              + " not accept writes under it",
          settings.cluster(), settings.node(), found.epoch(), found.goal().state(), found.generation());
    });
    timers.scheduleAtFixedRate(this::publishHeartbeat, 0, settings.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
    timers.scheduleAtFixedRate(this::guardLease, 0, GUARD_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    loop.start();
  }

  /** Wakes the loop at once (a new assignment, PostgreSQL exited, a request). */
  public void wake() {
    wake.release();
  }

  public PostgresStatus observed() {
    return observed;
  }

  public Optional<Assignment> assignment() {
    return accepted;
  }

  public boolean leaseValid() {
    return lease.valid(System.nanoTime());
  }

  public boolean fenced() {
    return fenced;
  }

  public String detail() {
    return detail;
  }

  public Convergence convergence() {
    return convergence;
  }

  /** preStop: never a candidate or synchronous standby again during this process's life. */
  public void markLeaving() {
    if (!leaving) {
      leaving = true;
      LOG.info("cluster={} node={} leaving: no longer a candidate or synchronous standby", settings.cluster(), settings.node());
      publishHeartbeat();
    }
  }

  /** Restarts PostgreSQL in its current role at the loop's next turn. */
  public void requestRestart(String why) {
    restartRequest = Optional.of(why);
    wake();
  }

  /** Whether this node is assigned to be the primary (the handover asks). */
  public boolean assignedPrimary() {
    return accepted.map(a -> a.goal() instanceof Goal.Primary).orElse(false);
  }

  /** The heartbeat this agent sends now. */
  public Heartbeat heartbeat() {
    PostgresStatus status = observed;
    AgentStatus agent =
        new AgentStatus(
            accepted.map(AssignmentRef::of), convergence, detail, fenced, leaving, relinquished,
            drainedAt, settings.fenceAfter(), settings.priority(), settings.noFailover(), settings.apiUrl());
    synchronized (this) {
      return new Heartbeat(
          settings.cluster(), settings.node(), incarnation, sequence++, Instant.now(), status, agent);
    }
  }

  private void publishHeartbeat() {
    try {
      heartbeats.publish(heartbeat());
    } catch (RuntimeException e) {
      LOG.warn("cannot build or send a heartbeat: {}", e.toString());
    }
  }

  private void guardLease() {
    if (lease.valid(System.nanoTime())) {
      return;
    }
    boolean writable = Observed.of(observed) == Observed.RUNNING_PRIMARY || mayBecomeWritable;
    if (writable && postgres.postmasterPid().isPresent()) {
      LOG.warn(
          "cluster={} node={} epoch={} fencing: heartbeats not acknowledged for {}",
          settings.cluster(), settings.node(), accepted.map(Assignment::epoch).orElse(0L), settings.fenceAfter());
      // Marked before the fence, which takes tens of milliseconds: the loop, woken by the
      // postmaster's exit, must not take it for a crash.
      markFenced();
      postgres.fence();
      wake();
    }
  }

  /**
   * Whichever of the loop, the lease guard and the watchdog fenced, PostgreSQL is down because
   * the lease ran out, not because it crashed: it may come back as the primary once the agent
   * proves no other node was promoted in the meantime.
   */
  private void markFenced() {
    fenced = true;
    stoppedByAgent = true;
    fencedAtNanos = System.nanoTime();
  }

  private void run() {
    while (running) {
      boolean acted = false;
      try {
        acted = turn();
      } catch (RuntimeException e) {
        LOG.error("cluster={} node={} supervisor turn failed: {}", settings.cluster(), settings.node(), e.toString(), e);
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
      failuresInARow = convergence == Convergence.FAILED ? failuresInARow + 1 : 0;
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

  /** One observe-decide-act round; returns whether it acted on PostgreSQL. */
  private boolean turn() {
    PostgresStatus now = postgres.observe();
    boolean changed = !Significant.of(now).equals(Significant.of(observed));
    observed = now;
    if (changed) {
      // The coordinator waits for exactly these reports (a standby that lost its primary, a
      // primary whose synchronous standby left): do not make it wait for the next interval.
      publishHeartbeat();
    }
    acceptNewest();
    Observed state = Observed.of(now);
    if (state == Observed.RUNNING_PRIMARY || state == Observed.RUNNING_STANDBY) {
      ranSinceAssigned = true;
    }
    if (state == Observed.STOPPED_PRIMARY && !stoppedByAgent && leaseRanOut()) {
      // The watchdog process fences at the same deadline as the lease guard, and the postmaster's
      // exit may wake this loop before either says so: down after the lease ran out is fenced.
      markFenced();
    }
    // The lease before the gap: the acknowledgement that renews a lease after a cut records the
    // cut's gap in the same step, so a lease read as valid here never hides its gap from the
    // check below; read the other way round, an acknowledgement arriving between the two would
    // unfence a primary that another node may have replaced.
    boolean leaseValid = lease.valid(System.nanoTime());
    if (lease.takeGap() && lastPrimaryGeneration.isPresent()) {
      relinquish(
          lastPrimaryGeneration.getAsLong(),
          "acknowledged heartbeats left a gap of failover-after: another node may have been promoted");
    }
    if (restartRequest.isPresent()) {
      restart(restartRequest.get());
      restartRequest = Optional.empty();
      return true;
    }
    trackStreaming(now);
    Situation situation = situation(now, leaseValid);
    Action action = ConvergenceTable.decide(situation);
    carryOut(action);
    armWatchdog();
    return !(action instanceof Action.Wait
        || action instanceof Action.Converged
        || action instanceof Action.Relinquish)
        && convergence != Convergence.FAILED;
  }

  /** The parts of an observation whose change is worth a heartbeat at once; LSNs are not. */
  private record Significant(
      io.baton.events.Health health,
      io.baton.events.Role role,
      OptionalLong timeline,
      Optional<String> receiver,
      java.util.Set<String> replicas,
      Optional<String> synchronousStandbyNames) {

    static Significant of(PostgresStatus status) {
      return new Significant(
          status.health(), status.role(), status.timeline(),
          status.receiver().map(r -> r.status() + "@" + r.upstreamHost().orElse("") + ":" + r.upstreamPort()),
          status.replicas().stream()
              .map(r -> r.application() + "/" + r.state() + "/" + r.syncState())
              .collect(java.util.stream.Collectors.toSet()),
          status.synchronousStandbyNames());
    }
  }

  private void acceptNewest() {
    Optional<Assignment> newest = assignments.latest();
    if (newest.isEmpty()
        || accepted.filter(a -> a.generation() >= newest.get().generation()).isPresent()) {
      return;
    }
    Assignment assignment = newest.get();
    accepted = newest;
    acceptedAtNanos = System.nanoTime();
    ranSinceAssigned = false;
    if (assignment.goal() instanceof Goal.Primary) {
      lastPrimaryGeneration = OptionalLong.of(assignment.generation());
    } else {
      drainedAt = Optional.empty();
    }
    LOG.info(
        "cluster={} node={} epoch={} accepted assignment {} (generation {}): {}",
        settings.cluster(), settings.node(), assignment.epoch(), assignment.goal().state(),
        assignment.generation(), Printable.escape(assignment.reason()));
    publishHeartbeat();
  }

  private boolean leaseRanOut() {
    OptionalLong deadline = lease.deadlineNanos();
    return deadline.isPresent() && System.nanoTime() - deadline.getAsLong() >= 0;
  }

  /** An assignment newer than the accepted one was read since this turn began: decide again. */
  private boolean newerAssignmentArrived() {
    return assignments.latest()
        .filter(newest -> accepted.filter(a -> a.generation() >= newest.generation()).isEmpty())
        .isPresent();
  }

  private Situation situation(PostgresStatus now, boolean leaseValid) {
    Optional<Upstream> upstream =
        accepted.map(Assignment::goal).filter(Goal.Standby.class::isInstance).map(g -> ((Goal.Standby) g).upstream());
    Duration notStreaming = Duration.ofNanos(System.nanoTime() - streamingLastSeenNanos);
    boolean reachable =
        upstream.isPresent()
            && notStreaming.compareTo(settings.rewindAfter()) >= 0
            && postgres.reachable(upstream.get());
    return new Situation(
        accepted, now, leaseValid, relinquished, lastPrimaryGeneration, fenced,
        stoppedByAgent, ranSinceAssigned, Duration.ofNanos(System.nanoTime() - acceptedAtNanos),
        notStreaming, reachable, configuredUpstream, settings.timings());
  }

  private void trackStreaming(PostgresStatus now) {
    Optional<Upstream> upstream =
        accepted.map(Assignment::goal).filter(Goal.Standby.class::isInstance).map(g -> ((Goal.Standby) g).upstream());
    boolean streaming =
        upstream.isEmpty()
            || Observed.of(now) != Observed.RUNNING_STANDBY
            || now.receiver().filter(r -> r.isStreamingFrom(upstream.get().host(), upstream.get().port())).isPresent();
    if (streaming) {
      streamingLastSeenNanos = System.nanoTime();
    }
  }

  private void carryOut(Action action) {
    try {
      if (action instanceof Action.Wait wait) {
        report(wait.status(), wait.why());
      } else if (action instanceof Action.Converged converged) {
        if (accepted.map(a -> a.goal() instanceof Goal.Drained).orElse(false)) {
          drainedAt = observed.dataDirectory().map(DataDirectoryStatus::checkpointLsn);
        }
        report(Convergence.CONVERGED, converged.why());
      } else if (action instanceof Action.Relinquish relinquish) {
        relinquish(relinquish.generation(), relinquish.why());
      } else {
        act(action);
      }
    } catch (PostgresException e) {
      LOG.warn("cluster={} node={} {} failed: {}", settings.cluster(), settings.node(), describe(action), e.getMessage());
      report(Convergence.FAILED, action.why() + ": failed: " + e.getMessage());
    }
  }

  private void act(Action action) throws PostgresException {
    report(Convergence.CONVERGING, action.why());
    LOG.info(
        "cluster={} node={} epoch={} {}: {}",
        settings.cluster(), settings.node(), accepted.map(Assignment::epoch).orElse(0L), describe(action), action.why());
    if (action instanceof Action.Fence) {
      if (lease.valid(System.nanoTime())) {
        stoppedByAgent = true;
        fenced = false;
      } else {
        markFenced();
      }
      postgres.fence();
    } else if (action instanceof Action.StopCleanly) {
      postgres.stopCleanly();
      stoppedByAgent = true;
      if (accepted.map(a -> a.goal() instanceof Goal.Drained).orElse(false)) {
        // The coordinator waits for exactly this to promote the target: report it with the
        // heartbeat that follows this action, not a turn later.
        drainedAt =
            postgres.controlData()
                .filter(DataDirectoryStatus::isCleanlyShutDown)
                .map(DataDirectoryStatus::checkpointLsn);
        if (drainedAt.isPresent()) {
          convergence = Convergence.CONVERGED;
          detail = "drained at " + drainedAt.get();
        }
      }
    } else if (action instanceof Action.StartPrimary start) {
      if (fenced && !assignments.caughtUpSince(fencedAtNanos)) {
        report(Convergence.WAITING, "reading the assignments to their end before unfencing");
        return;
      }
      if (fenced && newerAssignmentArrived()) {
        return;
      }
      becomeWritable(() -> postgres.start(new PostgresControl.StartAs.Primary(start.synchronousStandbyNames())));
      fenced = false;
      configuredUpstream = Optional.empty();
    } else if (action instanceof Action.StartStandby start) {
      postgres.start(new PostgresControl.StartAs.Standby(start.upstream()));
      stoppedByAgent = false;
      configuredUpstream = start.upstream();
    } else if (action instanceof Action.Promote) {
      becomeWritable(postgres::promote);
      configuredUpstream = Optional.empty();
    } else if (action instanceof Action.Follow follow) {
      postgres.follow(follow.upstream());
      configuredUpstream = Optional.of(follow.upstream());
    } else if (action instanceof Action.Rejoin rejoin) {
      if (Observed.of(observed) != Observed.STOPPED_PRIMARY && Observed.of(observed) != Observed.STOPPED_STANDBY) {
        postgres.stopCleanly();
        stoppedByAgent = true;
      }
      postgres.rewind(rejoin.upstream());
      postgres.start(new PostgresControl.StartAs.Standby(Optional.of(rejoin.upstream())));
      stoppedByAgent = false;
      fenced = false;
      configuredUpstream = Optional.of(rejoin.upstream());
    } else if (action instanceof Action.ApplySynchronousStandbyNames apply) {
      postgres.setSynchronousStandbyNames(apply.value());
    }
    observed = postgres.observe();
    publishHeartbeat();
  }

  /** Interface for an action that makes PostgreSQL writable. */
  private interface WritableStep {
    void run() throws PostgresException;
  }

  /**
   * Runs a step that makes PostgreSQL writable under the lease guard and the watchdog: both are
   * armed before the step, and the lease is checked again right after it, so a lease that ran out
   * during a long start fences at once.
   */
  private void becomeWritable(WritableStep step) throws PostgresException {
    mayBecomeWritable = true;
    lease.deadlineNanos().ifPresent(watchdog::arm);
    try {
      step.run();
      stoppedByAgent = false;
    } finally {
      mayBecomeWritable = false;
    }
    if (!lease.valid(System.nanoTime())) {
      markFenced();
      postgres.fence();
      throw new PostgresException("the lease ran out while PostgreSQL was becoming writable: fenced");
    }
  }

  private void armWatchdog() {
    boolean writable = Observed.of(observed) == Observed.RUNNING_PRIMARY;
    OptionalLong deadline = lease.deadlineNanos();
    if (writable && deadline.isPresent()) {
      watchdog.arm(deadline.getAsLong());
    } else if (!writable) {
      watchdog.disarm();
    }
  }

  private void relinquish(long generation, String why) {
    if (relinquished.isPresent() && relinquished.getAsLong() >= generation) {
      return;
    }
    relinquished = OptionalLong.of(generation);
    LOG.warn(
        "cluster={} node={} epoch={} relinquished the primary role of generation {}: {}",
        settings.cluster(), settings.node(), accepted.map(Assignment::epoch).orElse(0L), generation, why);
    report(Convergence.WAITING, "relinquished generation " + generation + ": " + why);
    publishHeartbeat();
  }

  private void restart(String why) {
    Observed state = Observed.of(observed);
    LOG.info("cluster={} node={} restarting PostgreSQL: {}", settings.cluster(), settings.node(), why);
    try {
      postgres.stopCleanly();
      if (state == Observed.RUNNING_PRIMARY) {
        becomeWritable(() -> postgres.start(new PostgresControl.StartAs.Primary(
            observed.synchronousStandbyNames().orElse(""))));
      } else {
        Optional<Upstream> upstream =
            accepted.map(Assignment::goal).filter(Goal.Standby.class::isInstance).map(g -> ((Goal.Standby) g).upstream());
        postgres.start(new PostgresControl.StartAs.Standby(upstream));
      }
      report(Convergence.CONVERGING, "restarted: " + why);
    } catch (PostgresException e) {
      report(Convergence.FAILED, "restart failed: " + e.getMessage());
    }
    observed = postgres.observe();
    publishHeartbeat();
  }

  private void report(Convergence status, String sentence) {
    boolean changed = status != convergence || !sentence.equals(detail);
    convergence = status;
    detail = sentence;
    if (changed) {
      publishHeartbeat();
    }
  }

  private static String describe(Action action) {
    String name = action.getClass().getSimpleName();
    return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
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
