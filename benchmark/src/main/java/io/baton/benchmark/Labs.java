package io.baton.benchmark;

import io.baton.events.Amounts;
import io.baton.lab.Lab;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one lab running at a time. Scenarios that need the same kind of lab share it, run after
 * run and scenario after scenario, because every run ends with the cluster healthy again (one
 * primary, every standby streaming). Only one lab runs at a time: on two cores the heartbeats,
 * PostgreSQL and JVMs of an idle second lab would disturb the one being measured.
 */
final class Labs implements AutoCloseable {
  private final Consumer<String> progress;
  private Optional<Lab> lab = Optional.empty();
  private Optional<LabKind> kind = Optional.empty();

  Labs(Consumer<String> progress) {
    this.progress = progress;
  }

  /** The running lab when it is of this kind; otherwise the running one is closed first. */
  Lab get(LabKind wanted) {
    if (lab.isPresent() && kind.equals(Optional.of(wanted))) {
      return lab.get();
    }
    close();
    long startNanos = System.nanoTime();
    progress.accept("starting a lab: " + wanted.description());
    Lab fresh = wanted.start();
    progress.accept("lab up in " + Amounts.millis(
        Duration.ofNanos(System.nanoTime() - startNanos).toMillis()));
    lab = Optional.of(fresh);
    kind = Optional.of(wanted);
    return fresh;
  }

  /** Closes the running lab, e.g. after a failed run, so the next run starts on a fresh one. */
  @Override
  public void close() {
    lab.ifPresent(Lab::close);
    lab = Optional.empty();
    kind = Optional.empty();
  }
}
