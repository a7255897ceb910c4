package io.baton.benchmark.campaign;

import io.baton.benchmark.campaign.check.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * When synchronous mode promised that no acknowledged write is lost: from the campaign's start
 * (in synchronous mode) until a replication-mode change is asked, and again once a synchronous
 * standby is back after the mode is restored. Thread-safe: faults and the requests' thread
 * change it.
 */
final class ZeroLoss {
  private final List<Window> closed = new ArrayList<>();
  private OptionalLong openSince = OptionalLong.empty();

  synchronized void open(long fromNanos) {
    if (openSince.isEmpty()) {
      openSince = OptionalLong.of(fromNanos);
    }
  }

  synchronized void suspend(long atNanos) {
    if (openSince.isPresent()) {
      if (atNanos - openSince.getAsLong() > 0) {
        closed.add(new Window(openSince.getAsLong(), atNanos));
      }
      openSince = OptionalLong.empty();
    }
  }

  /** Every window, the open one ending at {@code endNanos}. */
  synchronized List<Window> windows(long endNanos) {
    List<Window> all = new ArrayList<>(closed);
    openSince.stream().filter(from -> endNanos - from > 0)
        .forEach(from -> all.add(new Window(from, endNanos)));
    return all;
  }
}
