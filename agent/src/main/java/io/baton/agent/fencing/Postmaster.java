package io.baton.agent.fencing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/** The postmaster of a data directory, found through its postmaster.pid, and how to fence it. */
public final class Postmaster {
  private Postmaster() {}

  /**
   * The pid in {@code postmaster.pid}, if the file exists and names a live, non-zombie process
   * that works in this data directory and belongs to the data directory's owner. PostgreSQL's OS
   * user can write any number into that file: the watchdog (perhaps root) must not signal a
   * process that is not that user's postmaster.
   */
  public static OptionalLong pid(Path dataDirectory) {
    try {
      List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
      if (lines.isEmpty()) {
        return OptionalLong.empty();
      }
      long pid = Long.parseLong(lines.get(0).trim());
      Path proc = Path.of("/proc", Long.toString(pid));
      boolean ours =
          isRunning(pid)
              && Files.readSymbolicLink(proc.resolve("cwd")).equals(dataDirectory.toRealPath())
              && Files.getOwner(proc).equals(Files.getOwner(dataDirectory));
      return ours ? OptionalLong.of(pid) : OptionalLong.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * The pid of a postmaster that may accept writes: alive, on a data directory without {@code
   * standby.signal} (starting, in crash recovery, or unobservable all count).
   */
  public static OptionalLong possiblyWritable(Path dataDirectory) {
    OptionalLong pid = pid(dataDirectory);
    return pid.isPresent() && !Files.exists(dataDirectory.resolve("standby.signal"))
        ? pid
        : OptionalLong.empty();
  }

  /** Alive and not a zombie: PID 1 of a container may take seconds to reap a killed postmaster. */
  public static boolean isRunning(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int afterName = stat.lastIndexOf(')');
      return afterName > 0 && stat.length() > afterName + 2 && stat.charAt(afterName + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Stops every process of the postmaster from committing: an immediate shutdown (SIGQUIT makes the
   * postmaster tell every backend to exit at once), then SIGKILL for whatever is still alive
   * after {@code grace}. The descendants are listed first, while they are still children of the
   * postmaster, so none escapes by being re-parented.
   */
  public static void fence(long pid, Duration grace) {
    List<ProcessHandle> processes =
        ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of());
    signal(pid, "QUIT");
    long deadline = System.nanoTime() + grace.toNanos();
    while (isRunning(pid) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    processes.forEach(ProcessHandle::destroyForcibly);
  }

  private static void signal(long pid, String signal) {
    try {
      new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    } catch (IOException e) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
