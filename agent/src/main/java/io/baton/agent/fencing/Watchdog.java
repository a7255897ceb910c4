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
 * agent, or a long action on its loop, cannot keep a primary writable past its lease. A watchdog
 * process that died (killed, out of memory) is started again at the next renewal and given the
 * deadline at once: in between, the agent's own lease guard is the only fence.
 */
public final class Watchdog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

  private final List<String> command;
  private final Path logFile;
  private final LongConsumer onFenced;
  private Process process;
  private OutputStream commands;
  private OptionalLong armedDeadline = OptionalLong.empty();

  private Watchdog(List<String> command, Path logFile, LongConsumer onFenced) {
    this.command = command;
    this.logFile = logFile;
    this.onFenced = onFenced;
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
    Watchdog watchdog = new Watchdog(List.copyOf(command), logFile, onFenced);
    synchronized (watchdog) {
      watchdog.launch();
    }
    return watchdog;
  }

  private void launch() throws IOException {
    process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    commands = process.getOutputStream();
    Process started = process;
    Thread reader = new Thread(() -> readFences(started), "baton-watchdog-output");
    reader.setDaemon(true);
    reader.start();
    LOG.info("watchdog started (pid {}) for {}", process.pid(), command.get(command.size() - 2));
  }

  private void readFences(Process from) {
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(from.getInputStream(), StandardCharsets.UTF_8))) {
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
  }

  public synchronized boolean isAlive() {
    return process.isAlive();
  }

  /** Fence at this {@link System#nanoTime()} deadline unless armed again before. */
  public synchronized void arm(long deadlineNanos) {
    if (!process.isAlive()) {
      LOG.error("the watchdog process {} died (exit code {}): starting another",
          process.pid(), process.exitValue());
      try {
        launch();
        armedDeadline = OptionalLong.empty();
      } catch (IOException e) {
        LOG.error("cannot start the watchdog again ({}): the agent alone fences now", e.toString());
        return;
      }
    }
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

  private void send(String line) {
    try {
      commands.write((line + "\n").getBytes(StandardCharsets.UTF_8));
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
