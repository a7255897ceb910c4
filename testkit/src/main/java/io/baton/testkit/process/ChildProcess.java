package io.baton.testkit.process;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A long-running child process (an agent, the coordinator, a probe) that a test can signal,
 * freeze, kill and read the output of.
 *
 * <p>Its stdout and stderr are merged, line by line, into {@link #logFile()}, kept in memory for
 * {@link #awaitLogLine}, and echoed to this JVM's stdout prefixed with {@code [name]} when echo
 * is on (per process, or for all with {@code -Dbaton.testkit.echo=true}). Log files go to
 * {@code -Dbaton.testkit.log-dir}, by default {@code target/test-logs} under the working
 * directory, and are kept after the test for post-mortems.
 *
 * <p>Every child is registered with {@link Processes}, whose shutdown hook kills what is left.
 */
public final class ChildProcess implements AutoCloseable {
  /** Lines kept in memory; older ones are still in the log file. */
  private static final int MAX_LINES = 100_000;

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Deque<String> lines = new ArrayDeque<>();
  /** Lines received since start, including those dropped from {@link #lines}. */
  private long received;
  private boolean outputEnded;

  private ChildProcess(String name, Process process, Path logFile, boolean echo)
      throws IOException {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    BufferedWriter log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Thread pump = new Thread(() -> pump(log, echo), "output-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts describing a child process; {@code name} prefixes its echoed lines and log file. */
  public static Builder builder(String name, List<String> command) {
    return new Builder(name, command);
  }

  /** Options of a child process to start. */
  public static final class Builder {
    private final String name;
    private final List<String> command;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Optional<Path> logFile = Optional.empty();
    private Optional<Path> directory = Optional.empty();
    private boolean echo = Boolean.getBoolean("baton.testkit.echo");

    private Builder(String name, List<String> command) {
      this.name = name;
      this.command = List.copyOf(command);
    }

    public Builder env(String variable, String value) {
      environment.put(variable, value);
      return this;
    }

    public Builder env(Map<String, String> variables) {
      environment.putAll(variables);
      return this;
    }

    public Builder logFile(Path file) {
      this.logFile = Optional.of(file);
      return this;
    }

    public Builder directory(Path workingDirectory) {
      this.directory = Optional.of(workingDirectory);
      return this;
    }

    /** Whether to copy the output to this JVM's stdout, each line prefixed with the name. */
    public Builder echo(boolean echo) {
      this.echo = echo;
      return this;
    }

    public ChildProcess start() {
      try {
        Path log = logFile.isPresent() ? logFile.get() : defaultLogFile(name);
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        directory.ifPresent(d -> builder.directory(d.toFile()));
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = builder.start();
        Processes.register(process.toHandle(), name);
        return new ChildProcess(name, process, log, echo);
      } catch (IOException e) {
        throw new UncheckedIOException("could not start " + name + ": " + command.get(0), e);
      }
    }
  }

  /** Where child logs go unless told otherwise: {@code -Dbaton.testkit.log-dir} or target/. */
  public static Path logDirectory() {
    return Path.of(System.getProperty("baton.testkit.log-dir", "target/test-logs"));
  }

  private static Path defaultLogFile(String name) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss"));
    return logDirectory()
        .resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + stamp + "-"
            + COUNTER.incrementAndGet() + ".log");
  }

  private void pump(BufferedWriter log, boolean echo) {
    try (log;
        BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.write(line);
        log.newLine();
        // Flushed per line so the file is current when a test fails or the JVM is killed.
        log.flush();
        if (echo) {
          System.out.println("[" + name + "] " + line);
        }
        synchronized (this) {
          lines.addLast(line);
          received++;
          if (lines.size() > MAX_LINES) {
            lines.removeFirst();
          }
          notifyAll();
        }
      }
    } catch (IOException e) {
      synchronized (this) {
        lines.addLast("[baton-testkit] output of " + name + " unreadable: " + e);
      }
    } finally {
      synchronized (this) {
        outputEnded = true;
        notifyAll();
      }
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Sends a signal to this process only (not its descendants). */
  public void signal(Signal signal) {
    Processes.send(signal, List.of(process.toHandle()));
  }

  /** SIGKILLs this process and all its descendants, and waits until they are gone. */
  public void killTree() {
    Processes.killTree(process.toHandle());
    // Also reaped, so isAlive() and exit codes are settled when this returns.
    waitFor(Duration.ofSeconds(5));
  }

  /** The exit code, once the process has exited within {@code timeout}. */
  public OptionalInt waitFor(Duration timeout) {
    try {
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return OptionalInt.of(process.exitValue());
      }
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    }
  }

  /** The output lines seen so far (the latest {@value #MAX_LINES}). */
  public synchronized List<String> lines() {
    return new ArrayList<>(lines);
  }

  /**
   * Waits for an output line, counting lines already printed, and returns it. Fails as soon as
   * the process has exited without printing one, instead of waiting out the timeout.
   *
   * @throws IllegalStateException on timeout or exit, with the last lines of output
   */
  public synchronized String awaitLogLine(Predicate<String> matching, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long checked = 0;
    while (true) {
      List<String> snapshot = new ArrayList<>(lines);
      long firstIndex = received - snapshot.size();
      for (long i = Math.max(checked, firstIndex); i < received; i++) {
        String line = snapshot.get((int) (i - firstIndex));
        if (matching.test(line)) {
          return line;
        }
      }
      checked = received;
      if (outputEnded) {
        throw new IllegalStateException(name + " ended its output (exit "
            + (process.isAlive() ? "pending" : process.exitValue())
            + ") without the expected line; last lines:\n" + tail(snapshot));
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException(name + " printed no expected line within " + timeout
            + "; last lines:\n" + tail(snapshot));
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
  }

  private static String tail(List<String> snapshot) {
    return String.join("\n", snapshot.subList(Math.max(0, snapshot.size() - 20), snapshot.size()));
  }

  /** Kills the process tree. */
  @Override
  public void close() {
    killTree();
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
