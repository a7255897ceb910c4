package io.baton.testkit.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The text format in which {@link ProbeWriterMain} writes its attempts, one line each, and the
 * reader that turns such a file back into {@link ProbeResults}:
 *
 * <pre>
 * # baton-probe run_id=3f2c...
 * 1 81234567000 81235012000 ACK
 * 2 81244567000 81246567000 FAILED insert: 57P01 terminating connection ...
 * </pre>
 *
 * <p>Columns: sequence number, start and end ({@link System#nanoTime()}, comparable across
 * processes: see {@link ProbeResults}), outcome, and for failures the error. A writer killed
 * mid-line leaves a partial last line, which the reader ignores.
 */
public final class ProbeLog {
  private static final String HEADER = "# baton-probe run_id=";

  private ProbeLog() {}

  public static String header(String runId) {
    return HEADER + runId;
  }

  public static String format(Attempt attempt) {
    String line = attempt.seq() + " " + attempt.startNanos() + " " + attempt.endNanos() + " "
        + attempt.outcome();
    return attempt.error()
        .map(e -> line + " " + e.replaceAll("\\s+", " ").strip())
        .orElse(line);
  }

  public static ProbeResults read(Path file) {
    try {
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read probe log " + file, e);
    }
  }

  /**
   * Parses the lines of a probe log.
   *
   * @throws IllegalArgumentException when the header is missing or a line other than the last is
   *     malformed
   */
  public static ProbeResults parse(List<String> lines) {
    if (lines.isEmpty() || !lines.get(0).startsWith(HEADER)) {
      throw new IllegalArgumentException("not a probe log: the first line must start with '"
          + HEADER + "'");
    }
    String runId = lines.get(0).substring(HEADER.length()).strip();
    List<Attempt> attempts = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      Optional<Attempt> attempt = parseLine(lines.get(i));
      if (attempt.isPresent()) {
        attempts.add(attempt.get());
      } else if (i < lines.size() - 1) {
        throw new IllegalArgumentException("probe log line " + (i + 1) + " is malformed: "
            + lines.get(i));
      }
    }
    return new ProbeResults(runId, attempts);
  }

  private static Optional<Attempt> parseLine(String line) {
    String[] parts = line.split(" ", 5);
    if (parts.length < 4) {
      return Optional.empty();
    }
    try {
      long seq = Long.parseLong(parts[0]);
      long start = Long.parseLong(parts[1]);
      long end = Long.parseLong(parts[2]);
      if (parts[3].equals("ACK") && parts.length == 4) {
        return Optional.of(Attempt.acknowledged(seq, start, end));
      }
      if (parts[3].equals("FAILED") && parts.length == 5) {
        return Optional.of(Attempt.failed(seq, start, end, parts[4]));
      }
      return Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
