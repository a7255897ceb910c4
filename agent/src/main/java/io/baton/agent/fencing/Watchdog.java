package io.baton.agent.fencing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link WatchdogMain} as a child process and keeps it armed with the lease deadline, renewed
 * with every acknowledged heartbeat. It is a separate process so that freezing or killing the
 * agent, or a long action on its loop, cannot keep a primary writable past its lease.
 */
public final class Watchdog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

  private final Process process;
  private final OutputStream commands;
  private OptionalLong armedDeadline = OptionalLong.empty();

  private Watchdog(Process process, LongConsumer onFenced) {
    this.process = process;
    this.commands = process.getOutputStream();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith("fenced ")) {
                    long pid = Long.parseLong(line.substring(7).trim());
                    LOG.warn("watchdog fenced postmaster {}: the lease ran out before the agent renewed it", pid);
                    onFenced.accept(pid);
                  }
                }
              } catch (IOException | NumberFormatException e) {
                LOG.debug("watchdog output closed: {}", e.toString());
              }
            },
            "baton-watchdog-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts the watchdog for a data directory; {@code longestLease} caps any deadline it is given;
   * with a {@code device} ({@code /dev/watchdog}) it also keeps that device from resetting the
   * machine while it works.
   */
  public static Watchdog start(
      Path dataDirectory, Duration longestLease, Optional<Path> device, Path logFile,
      LongConsumer onFenced) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(List.of(
            java, "-Xmx32m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"), WatchdogMain.class.getName(),
            dataDirectory.toString(), Long.toString(longestLease.toMillis())));
    device.ifPresent(path -> command.add(path.toString()));
    Process process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    LOG.info("watchdog started (pid {}) for {}", process.pid(), dataDirectory);
    return new Watchdog(process, onFenced);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Fence at this {@link System#nanoTime()} deadline unless armed again or disarmed before. */
  public synchronized void arm(long deadlineNanos) {
    if (armedDeadline.isPresent() && armedDeadline.getAsLong() == deadlineNanos) {
      return;
    }
    send("arm " + deadlineNanos);
    armedDeadline = OptionalLong.of(deadlineNanos);
  }

  /**
   * The agent stops but PostgreSQL may keep accepting writes: the watchdog keeps the deadline,
   * fences when it passes, and exits once no postmaster may accept writes.
   */
  public synchronized void detach() {
    send("detach");
  }

  private void send(String command) {
    try {
      commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
      commands.flush();
    } catch (IOException e) {
      LOG.error("cannot reach the watchdog ({}): the agent alone fences now", e.toString());
    }
  }

  /** Stops the watchdog without fencing: the agent stopped PostgreSQL itself. */
  @Override
  public synchronized void close() {
    send("exit");
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
  }
}
