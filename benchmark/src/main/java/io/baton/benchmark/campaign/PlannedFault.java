package io.baton.benchmark.campaign;

import io.baton.benchmark.campaign.fault.Fault;
import io.baton.events.Amounts;
import java.time.Duration;

/**
 * A fault in a step of the schedule: injected {@code offset} after the step begins, held for
 * {@code hold}, then healed.
 */
public record PlannedFault(Fault fault, Duration offset, Duration hold) {
  public Duration healAt() {
    return offset.plus(hold);
  }

  public String describe() {
    return "[" + fault.kind() + "] " + fault.describe() + (offset.isZero() ? ""
        : ", " + Amounts.seconds(offset) + " into the step") + ", held " + Amounts.seconds(hold);
  }
}
