package io.baton.testkit.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A short-lived command run to completion (initdb, pg_ctl, ip), with its combined output.
 *
 * <p>Secrets go in through {@link #stdin(String)} or the environment, never as arguments: the
 * arguments are visible to every user in {@code ps} and appear in error messages.
 *
 * <p>The output is collected in a temporary file, not a pipe, because some commands leave a
 * daemon behind that inherits their output ({@code pg_ctl start}), and reading a pipe to its end
 * would then wait for the daemon.
 */
public final class Command {
  private final List<String> command;
  private final Map<String, String> environment = new LinkedHashMap<>();
  private Optional<Path> directory = Optional.empty();
  private Optional<String> stdin = Optional.empty();
  private Duration timeout = Duration.ofSeconds(60);

  private Command(List<String> command) {
    this.command = List.copyOf(command);
  }

  public static Command of(List<String> command) {
    return new Command(command);
  }

  public static Command of(String... command) {
    return new Command(List.of(command));
  }

  public Command env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  public Command directory(Path directory) {
    this.directory = Optional.of(directory);
    return this;
  }

  public Command stdin(String input) {
    this.stdin = Optional.of(input);
    return this;
  }

  public Command timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** The outcome of a finished command. */
  public record Result(List<String> command, int exitCode, String output) {
    public boolean succeeded() {
      return exitCode == 0;
    }

    /** This result, or an exception naming the command, its exit code and its output. */
    public Result orThrow() {
      if (!succeeded()) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited with " + exitCode + ":\n" + output.strip());
      }
      return this;
    }
  }

  /** Runs the command; on timeout kills it with all its descendants and throws. */
  public Result run() {
    Path out = null;
    try {
      out = Files.createTempFile("baton-command-", ".out");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.redirectOutput(out.toFile());
      builder.environment().putAll(environment);
      directory.ifPresent(d -> builder.directory(d.toFile()));
      if (stdin.isEmpty()) {
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      }
      Process process = builder.start();
      if (stdin.isPresent()) {
        try (var in = process.getOutputStream()) {
          in.write(stdin.get().getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        Processes.killTree(process.toHandle());
        throw new IllegalStateException(String.join(" ", command) + " did not finish within "
            + timeout + "; output so far:\n" + Files.readString(out).strip());
      }
      return new Result(command, process.exitValue(), Files.readString(out));
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a leftover empty temp file is not worth failing a test for
        }
      }
    }
  }

  /** Runs the command and throws unless it exits with 0. */
  public Result runOrThrow() {
    return run().orThrow();
  }
}
