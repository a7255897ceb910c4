package io.baton.benchmark.campaign;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The campaign's story, one line per thing done or seen, each stamped with CLOCK_MONOTONIC
 * seconds since the campaign began ({@code +  12.345}); the header gives the origin in raw
 * nanoseconds, so the lines compare with the writers' logs, which carry raw stamps. Lines go to
 * a file and, unless quiet, to stdout.
 */
final class CampaignLog implements AutoCloseable {
  private final long originNanos;
  private final Path file;
  private final BufferedWriter out;
  private final boolean echo;

  CampaignLog(Path file, long originNanos, boolean echo) {
    this.file = file;
    this.originNanos = originNanos;
    this.echo = echo;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the campaign log " + file, e);
    }
    log("CLOCK_MONOTONIC origin " + originNanos + " ns: every stamp below counts from it");
  }

  long originNanos() {
    return originNanos;
  }

  Path file() {
    return file;
  }

  synchronized void log(String line) {
    String stamped = String.format(Locale.ROOT, "+%9.3f  %s",
        (System.nanoTime() - originNanos) / 1e9, line);
    if (echo) {
      System.out.println(stamped);
    }
    try {
      out.write(stamped);
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the campaign log " + file, e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
