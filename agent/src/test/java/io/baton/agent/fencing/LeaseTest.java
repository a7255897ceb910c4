package io.baton.agent.fencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseTest {
  private static final long MS = 1_000_000L;

  private final List<Long> deadlines = new ArrayList<>();
  private final Lease lease = new Lease(Duration.ofSeconds(3), deadlines::add);

  @Test
  void noWritesBeforeTheFirstAcknowledgement() {
    assertFalse(lease.valid(0));
    assertTrue(lease.deadlineNanos().isEmpty());
    assertFalse(lease.ranOut(0), "a lease that never existed did not run out");
  }

  @Test
  void theLeaseRunsFromWhenTheHeartbeatWasSentNotWhenItWasAcknowledged() {
    lease.acknowledged(1_000 * MS);
    assertEquals(4_000 * MS, lease.deadlineNanos().getAsLong());
    assertTrue(lease.valid(3_999 * MS));
    assertFalse(lease.valid(4_000 * MS));
    assertTrue(lease.ranOut(4_000 * MS));
  }

  @Test
  void aLateAcknowledgementOfAnOlderHeartbeatDoesNotShortenTheLease() {
    lease.acknowledged(2_000 * MS);
    lease.acknowledged(1_000 * MS);
    assertEquals(5_000 * MS, lease.deadlineNanos().getAsLong());
    assertEquals(List.of(5_000 * MS), deadlines, "only a renewal moves the watchdog's deadline");
  }

  /** Finding 4 of issue 8: the watchdog's deadline moves with each acknowledgement. */
  @Test
  void everyRenewalMovesTheWatchdogsDeadlineAtOnce() {
    lease.acknowledged(1_000 * MS);
    lease.acknowledged(2_000 * MS);
    lease.acknowledged(3_000 * MS);
    assertEquals(List.of(4_000 * MS, 5_000 * MS, 6_000 * MS), deadlines);
  }

  /** Finding 9 of issue 8: after a suspension, heartbeats sent before it prove nothing. */
  @Test
  void aVoidedLeaseIgnoresAcknowledgementsOfHeartbeatsSentBeforeIt() {
    lease.acknowledged(1_000 * MS);
    lease.voidNow(1_500 * MS);
    assertFalse(lease.valid(1_600 * MS));
    assertTrue(lease.ranOut(1_600 * MS));
    lease.acknowledged(1_400 * MS);
    assertFalse(lease.valid(1_600 * MS), "sent before the suspension was noticed");
    lease.acknowledged(1_700 * MS);
    assertTrue(lease.valid(1_800 * MS));
  }
}
