package io.baton.subscribers.process;

import io.baton.events.Printable;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program to completion (haproxy -c, psql, a hook) without a shell, with a time limit.
 *
 * <p>Its output (stdout and stderr merged) goes to a temporary file rather than a pipe: a program
 * that leaves a background child behind holding its output would otherwise keep a pipe reader
 * waiting. On timeout the program and its descendants are killed.
 */
public final class Run {
  private static final int OUTPUT_SHOWN = 2000;

  /**
   * How a program ended.
   *
   * @param exitCode empty when it was killed at the time limit
   * @param output what it printed, stdout and stderr merged
   */
  public record Result(List<String> command, OptionalInt exitCode, String output, Duration took) {
    public boolean succeeded() {
      return exitCode.isPresent() && exitCode.getAsInt() == 0;
    }

    public boolean timedOut() {
      return exitCode.isEmpty();
    }

    /**
     * E.g. {@code exit 1 after 12 ms: <output>}, the output shortened to its end and on one line
     * (its line breaks and other control characters escaped), for a log line or a message.
     */
    public String describe() {
      String ended = exitCode.isPresent() ? "exit " + exitCode.getAsInt() : "killed at its time limit";
      String text = output.strip();
      if (text.length() > OUTPUT_SHOWN) {
        text = "..." + text.substring(text.length() - OUTPUT_SHOWN);
      }
      return ended + " after " + took.toMillis() + " ms"
          + (text.isEmpty() ? "" : ": " + Printable.escape(text));
    }
  }

  /** Starts describing a run of {@code command} (the program and its arguments). */
  public static Run of(List<String> command) {
    return new Run(command);
  }

  private final List<String> command;
  private final Map<String, String> environment = new LinkedHashMap<>();
  private boolean inheritEnvironment = true;
  private Optional<byte[]> stdin = Optional.empty();
  private Duration timeout = Duration.ofSeconds(30);

  private Run(List<String> command) {
    this.command = List.copyOf(command);
  }

  /** Adds environment variables (the place for secrets, never the arguments). */
  public Run env(Map<String, String> variables) {
    environment.putAll(variables);
    return this;
  }

  /**
   * Gives the program only {@code PATH}, {@code HOME}, {@code LANG}, {@code TZ} of this process
   * besides the variables set with {@link #env}: whatever secret this process was given in its
   * environment stays out of programs it does not trust.
   */
  public Run withoutInheritedEnvironment() {
    inheritEnvironment = false;
    return this;
  }

  public Run stdin(byte[] input) {
    stdin = Optional.of(input.clone());
    return this;
  }

  public Run timeout(Duration limit) {
    timeout = limit;
    return this;
  }

  /**
   * Runs the program to its end or its time limit.
   *
   * @throws IOException when the program cannot be started
   */
  public Result run() throws IOException {
    Path output = Files.createTempFile("baton-run-", ".out");
    long started = System.nanoTime();
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(output.toFile());
      if (!inheritEnvironment) {
        Map<String, String> inherited = new LinkedHashMap<>(builder.environment());
        builder.environment().clear();
        for (String kept : List.of("PATH", "HOME", "LANG", "TZ")) {
          if (inherited.containsKey(kept)) {
            builder.environment().put(kept, inherited.get(kept));
          }
        }
      }
      builder.environment().putAll(environment);
      if (stdin.isEmpty()) {
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      }
      Process process = builder.start();
      if (stdin.isPresent()) {
        try (OutputStream in = process.getOutputStream()) {
          in.write(stdin.get());
        } catch (IOException e) {
          // The program exited or closed its input without reading it all: its choice.
        }
      }
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        finished = false;
      }
      if (!finished) {
        killTree(process.toHandle());
      }
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      return new Result(command, finished ? OptionalInt.of(process.exitValue())
          : OptionalInt.empty(), Files.readString(output), took);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /**
   * SIGKILLs a process and its descendants. Descendants are listed while their parents still
   * live (orphans are no longer descendants), and listed again until none is left, to catch
   * children forked meanwhile.
   */
  public static void killTree(ProcessHandle root) {
    for (int round = 0; round < 10; round++) {
      List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
      if (tree.isEmpty()) {
        break;
      }
      tree.forEach(ProcessHandle::destroyForcibly);
    }
    root.destroyForcibly();
    try {
      root.onExit().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Still not reaped after SIGKILL: nothing more to do from here.
    }
  }
}
