package io.baton.agent.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which postmaster runs for the data directory (the one the agent started, or one that
 * {@code postmaster.pid} names), who is told when it exits, and when an earlier server's
 * processes are gone. May be used from any thread.
 */
final class PostmasterTracker {
  /** Logs as LocalPostgres, the one name all of the agent's PostgreSQL lines carry. */
  private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
  private static final String LOCK_FILE = "postmaster.pid";
  /** Line 8 of postmaster.pid: the postmaster's own state, independent of lc_messages. */
  private static final int LOCK_FILE_STATUS_LINE = 7;

  private final PostgresSettings settings;
  private final Path lockFile;
  private final List<Runnable> exitListeners = new CopyOnWriteArrayList<>();
  private final AtomicReference<Postmaster> postmaster = new AtomicReference<>();
  /**
   * Server processes sent SIGKILL that have not exited yet (stuck in uninterruptible sleep on a
   * hung disk): a pending SIGKILL is delivered before they return to user space, so none can
   * acknowledge another commit, and a postmaster among them counts as down.
   */
  private final Set<Long> killed = ConcurrentHashMap.newKeySet();

  PostmasterTracker(PostgresSettings settings) {
    this.settings = settings;
    this.lockFile = settings.dataDir().resolve(LOCK_FILE);
  }

  /** See {@link LocalPostgres#onPostmasterExit}. */
  void onExit(Runnable listener) {
    exitListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Tracks a postmaster the agent has just launched. */
  Postmaster launched(Process process) {
    Postmaster pm = new Postmaster(process.toHandle(), Optional.of(process));
    postmaster.set(pm);
    watch(pm);
    return pm;
  }

  /** Counts a server process that has not exited after SIGKILL as gone from now on. */
  void killedButNotGone(long pid) {
    killed.add(pid);
  }

  /**
   * The running postmaster: the one the agent knows if it still lives, else whichever
   * postmaster.pid names, if that process lives and works in this data directory.
   */
  Optional<Postmaster> running() {
    if (!killed.isEmpty()) {
      killed.removeIf(pid -> !OsProcesses.isLive(pid));
    }
    Postmaster known = postmaster.get();
    if (known != null && known.alive()) {
      return killed.contains(known.pid()) ? Optional.empty() : Optional.of(known);
    }
    OptionalLong pid = lockFilePid();
    if (pid.isEmpty() || (known != null && known.pid() == pid.getAsLong())
        || !OsProcesses.isLive(pid.getAsLong()) || killed.contains(pid.getAsLong())) {
      return Optional.empty();
    }
    Optional<Path> dataDir = realDataDir();
    // postmaster.pid is PostgreSQL's OS user's to write: adopt (and later signal) only a process
    // of that user working in this data directory, never whatever pid it names.
    if (dataDir.isEmpty()
        || !OsProcesses.workingDirectory(pid.getAsLong()).equals(dataDir)
        || !OsProcesses.sameOwner(pid.getAsLong(), dataDir.get())) {
      return Optional.empty();
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid.getAsLong());
    if (handle.isEmpty()) {
      return Optional.empty();
    }
    Postmaster adopted = new Postmaster(handle.get(), Optional.empty());
    if (postmaster.compareAndSet(known, adopted)) {
      log.info("postgres: found postmaster pid {} running for {}", adopted.pid(),
          settings.dataDir());
      watch(adopted);
      return Optional.of(adopted);
    }
    return Optional.ofNullable(postmaster.get()).filter(Postmaster::alive);
  }

  Postmaster requireRunning(String action) throws PostgresException {
    return running().orElseThrow(() ->
        new PostgresException("cannot " + action + ": PostgreSQL is not running"));
  }

  private void watch(Postmaster pm) {
    if (pm.child().isPresent()) {
      pm.child().get().onExit().thenRun(() -> exited(pm));
      return;
    }
    // ProcessHandle.onExit() of a non-child only fires once the zombie is reaped: seconds here.
    Thread watcher = new Thread(() -> {
      while (OsProcesses.isLive(pm.pid())) {
        OsProcesses.sleep(Duration.ofMillis(50));
      }
      exited(pm);
    }, "postgres-exit-" + pm.pid());
    watcher.setDaemon(true);
    watcher.start();
  }

  private void exited(Postmaster pm) {
    log.info("postgres: postmaster pid {} exited{}", pm.pid(), pm.exitDescription());
    for (Runnable listener : exitListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.warn("postgres: postmaster exit listener failed: {}", e.toString(), e);
      }
    }
  }

  /**
   * Waits until nothing of an earlier server holds the data directory: PostgreSQL refuses to
   * start (and pg_rewind to run) while the pid in postmaster.pid exists, and a killed postmaster
   * that PID 1 has not reaped yet is a zombie that still does.
   */
  void awaitPreviousServerGone(Instant deadline, String action) throws PostgresException {
    boolean logged = false;
    Path dataDir = realDataDir().orElseThrow(() ->
        new PostgresException("cannot " + action + ": no data directory " + settings.dataDir()));
    while (true) {
      String waitingFor = null;
      OptionalLong lockPid = lockFilePid();
      if (lockPid.isPresent() && OsProcesses.exists(lockPid.getAsLong())) {
        long pid = lockPid.getAsLong();
        Optional<Path> cwd = OsProcesses.workingDirectory(pid);
        if (!OsProcesses.isLive(pid) || cwd.isEmpty()) {
          waitingFor = "pid " + pid + " of " + LOCK_FILE + " to be gone (zombies included)";
        } else if (cwd.get().equals(dataDir)) {
          throw new PostgresException("cannot " + action + ": PostgreSQL runs (pid " + pid + ")");
        } else {
          // The pid now belongs to an unrelated process, and PostgreSQL would refuse to start
          // because of it.
          log.info("postgres: removing stale {} (pid {} is not a server of {})", LOCK_FILE, pid,
              dataDir);
          deleteStaleLockFile();
          continue;
        }
      }
      if (waitingFor == null) {
        List<ProcessHandle> leftovers = OsProcesses.workingIn(dataDir);
        if (!leftovers.isEmpty()) {
          waitingFor = "server processes " + OsProcesses.pids(leftovers)
              + " of an earlier postmaster to exit";
        }
      }
      if (waitingFor == null) {
        return;
      }
      if (!logged) {
        log.info("postgres: waiting for {} before the {}", waitingFor, action);
        logged = true;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new PostgresException("cannot " + action + ": still waiting for " + waitingFor);
      }
      OsProcesses.pause("waiting for " + waitingFor);
    }
  }

  /**
   * The status line of the lock file, if the lock file is this postmaster's: until a starting
   * postmaster rewrites it, the file a killed one left behind still says "ready".
   */
  Optional<String> lockFileStatusOf(Postmaster pm) {
    List<String> lines = lockFileLines();
    OptionalLong owner = pidOf(lines);
    if (owner.isEmpty() || owner.getAsLong() != pm.pid()
        || lines.size() <= LOCK_FILE_STATUS_LINE) {
      return Optional.empty();
    }
    return Optional.of(lines.get(LOCK_FILE_STATUS_LINE).strip());
  }

  private OptionalLong lockFilePid() {
    return pidOf(lockFileLines());
  }

  private static OptionalLong pidOf(List<String> lockFileLines) {
    try {
      return lockFileLines.isEmpty() ? OptionalLong.empty()
          : OptionalLong.of(Long.parseLong(lockFileLines.get(0).strip()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private List<String> lockFileLines() {
    try {
      return Files.readAllLines(lockFile, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      // Absent, or half-written by a starting postmaster: nothing to go by yet.
      return List.of();
    }
  }

  /**
   * Removes a postmaster.pid whose pid now names a live process that is not a server of this data
   * directory. Safe: the caller has checked that process's working directory, which every server
   * process of this data directory changes into, so the file is a dead postmaster's; and needed,
   * since PostgreSQL itself refuses to start while the pid it names lives.
   */
  private void deleteStaleLockFile() throws PostgresException {
    try {
      Files.deleteIfExists(lockFile);
    } catch (IOException e) {
      throw new PostgresException("could not remove stale " + lockFile + ": " + e.getMessage(), e);
    }
  }

  /** The data directory with symbolic links resolved, as server processes' cwd shows it. */
  Optional<Path> realDataDir() {
    try {
      return Optional.of(settings.dataDir().toRealPath());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
