package io.baton.coordinator.cluster;

import io.baton.events.EventType;
import io.baton.events.RequestOutcome;

/** A request already answered, so a repeat of it is answered again rather than acted on. */
public record HandledRequest(
    String requestId, EventType type, RequestOutcome outcome, String message) {}
