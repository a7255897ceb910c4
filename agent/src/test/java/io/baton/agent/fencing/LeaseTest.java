package io.baton.agent.fencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaseTest {
  private static final long MS = 1_000_000L;
  private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
  private static final Optional<Duration> FAILOVER_AFTER = Optional.of(Duration.ofSeconds(5));

  @Test
  void noWritesBeforeTheFirstAcknowledgement() {
    Lease lease = new Lease(Duration.ofSeconds(3));
    assertFalse(lease.valid(0));
    assertTrue(lease.deadlineNanos().isEmpty());
  }

  @Test
  void theLeaseRunsFromWhenTheHeartbeatWasSentNotWhenItWasAcknowledged() {
    Lease lease = new Lease(Duration.ofSeconds(3));
    lease.acknowledged(1_000 * MS, T0, FAILOVER_AFTER);
    assertEquals(4_000 * MS, lease.deadlineNanos().getAsLong());
    assertTrue(lease.valid(3_999 * MS));
    assertFalse(lease.valid(4_000 * MS));
  }

  @Test
  void aLateAcknowledgementOfAnOlderHeartbeatDoesNotShortenTheLease() {
    Lease lease = new Lease(Duration.ofSeconds(3));
    lease.acknowledged(2_000 * MS, T0.plusSeconds(2), FAILOVER_AFTER);
    lease.acknowledged(1_000 * MS, T0.plusSeconds(1), FAILOVER_AFTER);
    assertEquals(5_000 * MS, lease.deadlineNanos().getAsLong());
  }

  @Test
  void aGapOfFailoverAfterInBrokerTimeIsReportedOnce() {
    Lease lease = new Lease(Duration.ofSeconds(3));
    lease.acknowledged(0, T0, FAILOVER_AFTER);
    lease.acknowledged(4_900 * MS, T0.plusMillis(4_900), FAILOVER_AFTER);
    assertFalse(lease.takeGap(), "4.9 s < failover-after: no promotion can have happened");
    lease.acknowledged(9_900 * MS, T0.plusMillis(9_900), FAILOVER_AFTER);
    assertTrue(lease.takeGap());
    assertFalse(lease.takeGap());
  }

  @Test
  void withoutKnowingFailoverAfterNoGapCanBeJudged() {
    Lease lease = new Lease(Duration.ofSeconds(3));
    lease.acknowledged(0, T0, Optional.empty());
    lease.acknowledged(60_000 * MS, T0.plusSeconds(60), Optional.empty());
    assertFalse(lease.takeGap());
  }
}
