package io.baton.agent.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A postmaster of this data directory: a child of the agent, or one found running. */
record Postmaster(ProcessHandle handle, Optional<Process> child) {
  long pid() {
    return handle.pid();
  }

  boolean alive() {
    // The JVM reaps its own children at once; others count as dead once they are zombies.
    return child.map(Process::isAlive).orElseGet(() -> OsProcesses.isLive(handle.pid()));
  }

  boolean awaitExit(Duration timeout) {
    if (child.isEmpty()) {
      return OsProcesses.awaitGone(List.of(handle), timeout);
    }
    try {
      return child.get().waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !alive();
    }
  }

  String exitDescription() {
    return child.filter(p -> !p.isAlive())
        .map(p -> " (exit code " + p.exitValue() + ")")
        .orElse("");
  }

  /** The postmaster and every process it has forked. */
  List<ProcessHandle> processes() {
    List<ProcessHandle> processes = new ArrayList<>();
    processes.add(handle);
    handle.descendants().forEach(processes::add);
    return processes;
  }
}
