package io.baton.coordinator.api;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Admits a request that waits for its answer: within the longest wait and while fewer than the
 * limit wait already. An admitted request holds its place until {@link Admitted#close()}.
 */
final class RequestWaits {
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

  /** Whether a request may wait, and for how long. */
  sealed interface Admission permits Admitted, Refused {}

  /** Admitted for {@code wait}; close to give the place back. */
  record Admitted(Duration waitFor, Runnable release) implements Admission, AutoCloseable {
    @Override
    public void close() {
      release.run();
    }
  }

  /** Refused with an HTTP status and the reason. */
  record Refused(int status, String reason) implements Admission {}

  private final Duration maxWait;
  private final int maxWaiting;
  private final Semaphore places;

  RequestWaits(ApiWaitConfig settings) {
    this.maxWait = settings.maxWait();
    this.maxWaiting = settings.maxWaitingRequests();
    this.places = new Semaphore(maxWaiting);
  }

  Admission admit(Optional<Duration> requested) {
    Duration wait = requested.orElse(DEFAULT_WAIT.compareTo(maxWait) < 0 ? DEFAULT_WAIT : maxWait);
    if (wait.isNegative() || wait.isZero()) {
      return new Refused(400, "wait must be a positive duration such as 30s, not " + wait);
    }
    if (wait.compareTo(maxWait) > 0) {
      return new Refused(400, "wait " + wait.toSeconds() + " s is longer than the longest wait"
          + " of " + maxWait.toSeconds() + " s (baton.coordinator.api.max-wait): ask again"
          + " with a shorter one, or follow the request's events with baton events");
    }
    if (!places.tryAcquire()) {
      return new Refused(429, maxWaiting + " requests are waiting already"
          + " (baton.coordinator.api.max-waiting-requests): try again shortly");
    }
    return new Admitted(wait, places::release);
  }
}
