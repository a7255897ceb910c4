package io.baton.cli.cluster;

import io.baton.events.ClusterEvent;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the coordinator is in maintenance mode for a cluster, as its last {@code
 * maintenance-changed} event says. No topic holds the setting itself, so the events topic is the
 * only place the CLI can learn it from without the coordinator.
 *
 * @param lastChange the event that set the current mode; empty when none was found
 */
public record Maintenance(Mode mode, Optional<ClusterEvent> lastChange) {
  /** The coordinator's words for the two states, in a first answer or a repeated one. */
  private static final Pattern WORDS = Pattern.compile("maintenance mode (on|off)\\b");

  public enum Mode {
    ON,
    OFF,
    /** The events kept do not go back far enough to tell. */
    UNKNOWN
  }

  public static Maintenance unknown() {
    return new Maintenance(Mode.UNKNOWN, Optional.empty());
  }

  /** A cluster whose events were all read and none changed the mode: off, the default. */
  public static Maintenance neverChanged() {
    return new Maintenance(Mode.OFF, Optional.empty());
  }

  /** The mode a {@code maintenance-changed} event set, if its message says. */
  public static Optional<Maintenance> of(ClusterEvent change) {
    Matcher words = WORDS.matcher(change.message());
    if (!words.find()) {
      return Optional.empty();
    }
    return Optional.of(new Maintenance(
        words.group(1).equals("on") ? Mode.ON : Mode.OFF, Optional.of(change)));
  }

  public boolean on() {
    return mode == Mode.ON;
  }
}
