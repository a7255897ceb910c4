package io.baton.agent.fencing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The watchdog process: fences the data directory's postmaster when the agent's lease runs out
 * and the agent did not renew it, because the agent is frozen (SIGSTOP, a long GC pause), dead, or
 * cut off. It takes lines on standard input: {@code arm <deadline>} (a {@link System#nanoTime()}
 * value: on Linux both processes read the same CLOCK_MONOTONIC), {@code disarm}, {@code exit}. End of
 * input while armed means the agent died holding the lease: fence at once. It prints {@code fenced
 * <pid>} when it fenced.
 *
 * <p>Arguments: {@code <data directory> <longest lease in ms>}; a deadline further away than the
 * longest lease is cut to it, so a confused agent cannot arm it for ever.
 */
public final class WatchdogMain {
  private WatchdogMain() {}

  public static void main(String[] args) throws InterruptedException {
    Path dataDirectory = Path.of(args[0]);
    long longestLeaseNanos = Duration.ofMillis(Long.parseLong(args[1])).toNanos();
    BlockingQueue<String> commands = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> read(commands), "watchdog-stdin");
    reader.setDaemon(true);
    reader.start();
    OptionalLong deadline = OptionalLong.empty();
    while (true) {
      long wait = deadline.isPresent() ? deadline.getAsLong() - System.nanoTime() : Long.MAX_VALUE;
      String command = wait > 0 ? commands.poll(Math.min(wait, Duration.ofSeconds(1).toNanos()), TimeUnit.NANOSECONDS) : null;
      if (command == null) {
        if (deadline.isPresent() && System.nanoTime() - deadline.getAsLong() >= 0) {
          fence(dataDirectory);
          deadline = OptionalLong.empty();
        }
        continue;
      }
      if (command.startsWith("arm ")) {
        long requested = Long.parseLong(command.substring(4).trim());
        long longest = System.nanoTime() + longestLeaseNanos;
        deadline = OptionalLong.of(requested - longest > 0 ? longest : requested);
      } else if (command.equals("disarm")) {
        deadline = OptionalLong.empty();
      } else if (command.equals("exit")) {
        return;
      } else if (command.equals("eof")) {
        if (deadline.isPresent()) {
          fence(dataDirectory);
        }
        return;
      }
    }
  }

  private static void fence(Path dataDirectory) {
    OptionalLong pid = Postmaster.pid(dataDirectory);
    if (pid.isPresent()) {
      Postmaster.fence(pid.getAsLong(), Duration.ofSeconds(1));
      System.out.println("fenced " + pid.getAsLong());
      System.out.flush();
    }
  }

  private static void read(BlockingQueue<String> commands) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        commands.add(line.trim());
      }
    } catch (IOException e) {
      // A broken pipe means the agent is gone, as end of input does.
    }
    commands.add("eof");
  }
}
