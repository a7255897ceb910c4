package io.baton.coordinator.api;

import io.baton.runtime.Checks;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How long the HTTP API waits for a request's answer ({@code baton.coordinator.api.*}). Each
 * waiting request holds a thread and a Kafka consumer, so both the wait and the number of
 * waiting requests are bounded.
 *
 * @param maxWait the longest {@code ?wait=} accepted (longer is refused with 400); also the
 *     default wait when it is shorter than 30 s
 * @param maxWaitingRequests how many requests may wait at once; more are refused with 429
 */
@ConfigurationProperties("baton.coordinator.api")
public record ApiWaitConfig(
    @Bindable(defaultValue = "60s") Duration maxWait,
    @Bindable(defaultValue = "16") int maxWaitingRequests) {
  public ApiWaitConfig {
    Checks.positive("baton.coordinator.api.max-wait", maxWait);
    Checks.between("baton.coordinator.api.max-waiting-requests", maxWaitingRequests, 1, 1024);
  }
}
