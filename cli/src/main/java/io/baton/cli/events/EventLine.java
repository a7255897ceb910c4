package io.baton.cli.events;

import io.baton.cli.text.Times;
import io.baton.events.ClusterEvent;
import io.baton.events.EventType;
import io.baton.events.Printable;
import java.util.Arrays;

/**
 * One event per line, in columns that line up while following: time, epoch, type, node, the
 * coordinator's sentence, and for answers to a request its id and outcome. The sentence is free
 * text, printed with its control characters escaped, so it never makes a line of its own.
 *
 * <pre>
 * 2026-11-22 00:01:02.345  epoch 3  switchover-started        n2  switchover from n1 to n2 ...  [request 5f0c..., accepted]
 * </pre>
 */
public final class EventLine {
  private static final int TYPE_WIDTH =
      Arrays.stream(EventType.values()).mapToInt(t -> t.wire().length()).max().orElse(0);
  private static final int NODE_WIDTH = 4;

  private EventLine() {}

  public static String render(ClusterEvent event, Times times) {
    return times.full(event.at()) + "  " + body(event);
  }

  /** Without the date, for the live progress of a request. */
  public static String renderShort(ClusterEvent event, Times times) {
    return times.clock(event.at()) + "  " + body(event);
  }

  private static String body(ClusterEvent event) {
    String line = "epoch " + event.epoch() + "  " + pad(event.type().wire(), TYPE_WIDTH) + "  "
        + pad(event.node().orElse("-"), NODE_WIDTH) + "  " + Printable.escape(event.message());
    if (event.requestId().isPresent() || event.outcome().isPresent()) {
      line += "  [request " + event.requestId().orElse("?")
          + event.outcome().map(o -> ", " + o.wire()).orElse("")
          + event.reason().map(r -> ": " + r.wire()).orElse("") + "]";
    }
    return line;
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }
}
