package io.baton.agent.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Linux process facts from {@code /proc}, and signals Java has no API for. */
final class OsProcesses {
  private static final String KILL = Stream.of("/usr/bin/kill", "/bin/kill")
      .filter(p -> Files.isExecutable(Path.of(p)))
      .findFirst()
      .orElse("kill");
  private static final Duration POLL = Duration.ofMillis(20);

  private OsProcesses() {}

  /**
   * Whether a process exists and is not a zombie. A killed orphan stays a zombie until PID 1
   * reaps it (seconds, in some containers), but it can no longer do anything.
   */
  static boolean isLive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The state follows the command name in parentheses, which may itself hold spaces.
      int afterName = stat.lastIndexOf(')');
      char state = stat.charAt(afterName + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | IndexOutOfBoundsException e) {
      return false;
    }
  }

  /**
   * Whether the pid is taken at all, zombies included: PostgreSQL refuses to start on a data
   * directory whose postmaster.pid names such a pid.
   */
  static boolean exists(long pid) {
    return Files.exists(Path.of("/proc", Long.toString(pid)));
  }

  /** Whether the process belongs to the owner of this file. */
  static boolean sameOwner(long pid, Path file) {
    try {
      return Files.getOwner(Path.of("/proc", Long.toString(pid))).equals(Files.getOwner(file));
    } catch (IOException e) {
      return false;
    }
  }

  static Optional<Path> workingDirectory(long pid) {
    try {
      return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")));
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /**
   * Live processes working in {@code dir}: every PostgreSQL server process changes into its data
   * directory, so this finds a server's backends even after their postmaster is gone.
   */
  static List<ProcessHandle> workingIn(Path dir) {
    List<ProcessHandle> found = new ArrayList<>();
    try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
      proc.map(p -> p.getFileName().toString())
          .filter(name -> !name.isEmpty() && name.chars().allMatch(Character::isDigit))
          .mapToLong(Long::parseLong)
          .filter(pid -> pid != ProcessHandle.current().pid())
          .filter(pid -> workingDirectory(pid).filter(dir::equals).isPresent())
          .filter(OsProcesses::isLive)
          .forEach(pid -> ProcessHandle.of(pid).ifPresent(found::add));
    } catch (IOException e) {
      return found;
    }
    return found;
  }

  /**
   * Sends a signal by name (Java itself only sends SIGTERM and SIGKILL). Returns whether it was
   * delivered.
   */
  static boolean signal(String signal, long pid) {
    try {
      Process kill = new ProcessBuilder(KILL, "-s", signal, Long.toString(pid))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        return false;
      }
      return kill.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits until none of the processes is live; returns whether they all went in time. */
  static boolean awaitGone(List<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle process : processes) {
      while (isLive(process.pid())) {
        if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
          return false;
        }
        sleep(Duration.ofMillis(5));
      }
    }
    return true;
  }

  /** Sleeps, keeping the interrupt flag for the caller to see. */
  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sleeps one poll interval of a loop waiting for {@code what}, which an interrupt ends. */
  static void pause(String what) throws PostgresException {
    sleep(POLL);
    if (Thread.currentThread().isInterrupted()) {
      throw new PostgresException("interrupted while " + what);
    }
  }

  static String pids(List<ProcessHandle> processes) {
    return processes.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", "));
  }

  /** The real user id of this process. */
  static long currentUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Fall through: unknown counts as not root, the safe assumption for handing files over.
    }
    return -1;
  }
}
