package io.baton.cli.rollingrestart;

import io.baton.cli.text.Durations;
import io.baton.events.Printable;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The rolling restart's output: one line per step with the time since the start. Lines carry
 * text from heartbeats and events, so their control characters are escaped.
 */
final class Progress {
  private static final String INDENT = " ".repeat(11);

  private final PrintStream out;
  private final Clock clock;
  private final Instant start;

  Progress(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
    this.start = clock.instant();
  }

  Duration elapsed() {
    return Duration.between(start, clock.instant());
  }

  /** {@code [   12.3s] text}. */
  void line(String text) {
    out.println(String.format("[%8s] %s", Durations.format(elapsed()), Printable.escape(text)));
    out.flush();
  }

  /** An indented line under the current step: what a node is doing, an event. */
  void detail(String text) {
    out.println(INDENT + Printable.escape(text));
    out.flush();
  }
}
