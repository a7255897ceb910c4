package io.baton.testkit.process;

import io.baton.testkit.cleanup.ShutdownCleanup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every child process the test kit started in this JVM, so none outlives it: a shutdown hook
 * ({@link ShutdownCleanup.Stage#PROCESSES}, before servers and networks are torn down) kills the
 * whole tree of each one still alive.
 */
public final class Processes {
  private static final Map<Long, String> LIVE = new LinkedHashMap<>();
  private static boolean hookRegistered;

  private Processes() {}

  /** Tracks a process until it exits; {@code name} is for the shutdown message. */
  public static synchronized void register(ProcessHandle process, String name) {
    if (!hookRegistered) {
      ShutdownCleanup.register(
          ShutdownCleanup.Stage.PROCESSES, "child processes", Processes::killAll);
      hookRegistered = true;
    }
    LIVE.put(process.pid(), name);
    process.onExit().thenRun(() -> forget(process.pid()));
  }

  private static synchronized void forget(long pid) {
    LIVE.remove(pid);
  }

  /** Names and pids of the registered processes still alive. */
  public static synchronized Map<Long, String> alive() {
    return LIVE.entrySet().stream()
        .filter(e -> isRunning(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a,
            LinkedHashMap::new));
  }

  /** Kills every registered process with all its descendants. */
  public static void killAll() {
    List<Long> pids;
    synchronized (Processes.class) {
      pids = new ArrayList<>(LIVE.keySet());
    }
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(Processes::killTree);
    }
  }

  /**
   * SIGKILLs a process and all its descendants. The tree is frozen with SIGSTOP first: a parent
   * that is still running could otherwise fork a child after we listed its descendants, and
   * that child would survive.
   */
  public static void killTree(ProcessHandle root) {
    if (!isRunning(root.pid())) {
      return;
    }
    List<ProcessHandle> tree = treeOf(root);
    send(Signal.STOP, tree);
    tree = treeOf(root);
    send(Signal.KILL, tree);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    for (ProcessHandle process : tree) {
      while (isRunning(process.pid()) && System.nanoTime() < deadline) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Whether a process exists and is not a zombie. A killed orphan (a postmaster started through
   * pg_ctl, say) stays a zombie until PID 1 reaps it, which on these machines takes up to ~2 s;
   * for every purpose of a test it is dead already.
   */
  public static boolean isRunning(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The state follows the command name in parentheses, which may itself contain spaces.
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The scheduler states of a process's threads ({@code R}, {@code S}, {@code T} for stopped, and
   * so on), as {@code /proc/<pid>/task/<tid>/stat} shows them; empty once it has exited. A
   * SIGSTOP has taken effect when every thread shows {@code T}: they stop one by one.
   */
  public static List<Character> threadStates(long pid) {
    List<Character> states = new ArrayList<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          states.add(stat.charAt(stat.lastIndexOf(')') + 2));
        } catch (IOException threadEnded) {
          // a thread that ended between the listing and the read has no state to report
        }
      }
    } catch (IOException exited) {
      return List.of();
    }
    return states;
  }

  private static List<ProcessHandle> treeOf(ProcessHandle root) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    return tree;
  }

  /** Sends a signal to processes; ones that have exited meanwhile are skipped. */
  public static void send(Signal signal, List<ProcessHandle> processes) {
    List<String> command = new ArrayList<>(List.of(Executables.kill().toString(), "-s",
        signal.name()));
    for (ProcessHandle process : processes) {
      if (isRunning(process.pid())) {
        command.add(Long.toString(process.pid()));
      }
    }
    if (command.size() > 3) {
      // kill exits non-zero when one process vanished between the check and the signal; the
      // others still got the signal, so the exit code says nothing useful here.
      Command.of(command).timeout(Duration.ofSeconds(10)).run();
    }
  }
}
