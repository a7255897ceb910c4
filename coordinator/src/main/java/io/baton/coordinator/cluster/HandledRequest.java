package io.baton.coordinator.cluster;

import io.baton.events.EventType;
import io.baton.events.Reason;
import io.baton.events.RequestOutcome;
import java.util.Optional;

/**
 * A request already answered, so a repeat of it is answered again rather than acted on.
 *
 * @param reason why it was refused or failed; empty otherwise (and in states stored before
 *     reasons existed)
 */
public record HandledRequest(
    String requestId, EventType type, RequestOutcome outcome, String message,
    Optional<Reason> reason) {

  public HandledRequest {
    reason = reason == null ? Optional.empty() : reason;
  }
}
