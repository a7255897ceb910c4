package io.baton.agent.postgres;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the server's processes: a fast shutdown that falls back to a fence, or the fence itself
 * (immediate shutdown, then SIGKILL), counted so that a start can tell a fence overtook it.
 */
final class ServerShutdown {
  /** Logs as LocalPostgres, the one name all of the agent's PostgreSQL lines carry. */
  private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
  private static final Duration FENCE_GRACE = Duration.ofSeconds(1);

  private final PostgresSettings settings;
  private final PostmasterTracker postmasters;
  private final ControlDataReader controlData;
  /** Counts fences, so a start that a fence overtook kills what it launched. */
  private final AtomicLong fences = new AtomicLong();

  ServerShutdown(PostgresSettings settings, PostmasterTracker postmasters,
      ControlDataReader controlData) {
    this.settings = settings;
    this.postmasters = postmasters;
    this.controlData = controlData;
  }

  /** How many fences have begun so far. */
  long fences() {
    return fences.get();
  }

  /** See {@link LocalPostgres#stopCleanly()}. */
  void stopCleanly() throws PostgresException {
    Optional<Postmaster> running = postmasters.running();
    if (running.isEmpty()) {
      controlData.forget();
      return;
    }
    Postmaster pm = running.get();
    long begun = System.nanoTime();
    List<ProcessHandle> processes = pm.processes();
    log.info("postgres: stopping pid {} (fast shutdown)", pm.pid());
    if (!OsProcesses.signal("INT", pm.pid()) && pm.alive()) {
      log.warn("postgres: could not signal pid {}; fencing", pm.pid());
      fence();
    } else if (!pm.awaitExit(settings.stopTimeout())) {
      log.warn("postgres: pid {} did not stop within {} s; fencing", pm.pid(),
          settings.stopTimeout().toSeconds());
      fence();
    } else if (!OsProcesses.awaitGone(processes, FENCE_GRACE)) {
      // The postmaster waits for its children, so this would be a process it lost track of.
      fence();
    }
    controlData.forget();
    List<ProcessHandle> left = processes.stream()
        .filter(p -> OsProcesses.isLive(p.pid()))
        .collect(Collectors.toList());
    if (!left.isEmpty()) {
      throw new PostgresException("processes " + OsProcesses.pids(left) + " of postmaster "
          + pm.pid() + " are still alive after SIGKILL");
    }
    log.debug("postgres: stopped pid {} in {} ms", pm.pid(), LocalPostgres.millisSince(begun));
  }

  /** See {@link LocalPostgres#fence()}. */
  void fence() {
    fences.incrementAndGet();
    try {
      long begun = System.nanoTime();
      Optional<Postmaster> running = postmasters.running();
      // Listed before the signal, while they are still the postmaster's children: once it is
      // gone, orphans are found only by their working directory.
      Set<ProcessHandle> processes = new LinkedHashSet<>();
      running.ifPresent(pm -> processes.addAll(pm.processes()));
      String how = "immediate shutdown";
      if (running.isPresent()) {
        Postmaster pm = running.get();
        if (!OsProcesses.signal("QUIT", pm.pid()) || !pm.awaitExit(FENCE_GRACE)) {
          how = "SIGKILL after the immediate shutdown did not end it";
        }
      }
      postmasters.realDataDir().ifPresent(dir -> processes.addAll(OsProcesses.workingIn(dir)));
      List<ProcessHandle> left = processes.stream()
          .filter(p -> OsProcesses.isLive(p.pid()))
          .collect(Collectors.toList());
      left.forEach(ProcessHandle::destroyForcibly);
      if (!OsProcesses.awaitGone(left, Duration.ofSeconds(2))) {
        List<ProcessHandle> stuck =
            left.stream().filter(p -> OsProcesses.isLive(p.pid())).toList();
        stuck.forEach(p -> postmasters.killedButNotGone(p.pid()));
        log.error("postgres: processes {} have not exited 2 s after SIGKILL (uninterruptible"
            + " sleep?): counted as stopped, they cannot acknowledge another commit",
            OsProcesses.pids(stuck));
      }
      controlData.forget();
      if (running.isPresent()) {
        log.info("postgres: fenced pid {} ({}) in {} ms", running.get().pid(), how,
            LocalPostgres.millisSince(begun));
      } else if (!left.isEmpty()) {
        log.info("postgres: fenced leftover server processes {} (SIGKILL)",
            OsProcesses.pids(left));
      }
    } catch (RuntimeException e) {
      log.error("postgres: fencing failed: {}", e.toString(), e);
    }
  }
}
