package io.baton.cli.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.baton.cli.text.Times;
import io.baton.events.ClusterEvent;
import io.baton.events.EventType;
import io.baton.events.Reason;
import io.baton.events.RequestOutcome;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventLineTest {
  private static final Times UTC = new Times(ZoneOffset.UTC);
  private static final Instant AT = Instant.parse("2026-11-22T03:04:05.678Z");

  @Test
  void anObservationHasTimeEpochTypeNodeAndMessage() {
    ClusterEvent event = new ClusterEvent("demo", AT, 3, EventType.NODE_LOST, Optional.of("n3"),
        "no heartbeat for 5.0 s", Optional.empty(), Optional.empty(), Optional.empty());

    assertEquals("2026-11-22 03:04:05.678  epoch 3  node-lost                 n3    no heartbeat for 5.0 s",
        EventLine.render(event, UTC));
  }

  @Test
  void aRefusalEndsWithItsReasonCode() {
    ClusterEvent event = new ClusterEvent("demo", AT, 4, EventType.SWITCHOVER_REFUSED,
        Optional.empty(), "switchover refused: the cluster is in maintenance mode",
        Optional.of("5f0d"), Optional.of(RequestOutcome.REFUSED), Optional.of(Reason.MAINTENANCE));

    assertEquals("03:04:05.678  epoch 4  switchover-refused        -     switchover refused: the"
        + " cluster is in maintenance mode  [request 5f0d, refused: maintenance]",
        EventLine.renderShort(event, UTC));
  }

  @Test
  void anAnswerEndsWithItsRequestAndOutcome() {
    ClusterEvent event = new ClusterEvent("demo", AT, 4, EventType.SWITCHOVER_COMPLETED, Optional.of("n2"),
        "switchover from n1 to n2 completed in 0.8 s", Optional.of("5f0c"), Optional.of(RequestOutcome.COMPLETED), Optional.empty());

    assertEquals("03:04:05.678  epoch 4  switchover-completed      n2    switchover from n1 to n2 completed in 0.8 s"
        + "  [request 5f0c, completed]", EventLine.renderShort(event, UTC));
  }

  @Test
  void anEventAboutNoNodeShowsADash() {
    ClusterEvent event = new ClusterEvent("demo", AT, 1, EventType.MAINTENANCE_CHANGED, Optional.empty(),
        "maintenance mode on", Optional.of("r1"), Optional.of(RequestOutcome.COMPLETED), Optional.empty());

    assertEquals("03:04:05.678  epoch 1  maintenance-changed       -     maintenance mode on  [request r1, completed]",
        EventLine.renderShort(event, UTC));
  }

  @Test
  void aMessageIsShownOnOneLineWhateverItHolds() {
    ClusterEvent event = new ClusterEvent("demo", AT, 1, EventType.NODE_LOST, Optional.of("n1"),
        "lost\n2026-11-22 03:04:06.000  epoch 9  promoted  n9  forged\u001b[2K\r",
        Optional.empty(), Optional.empty(), Optional.empty());

    assertEquals("03:04:05.678  epoch 1  node-lost                 n1    lost\\n2026-11-22"
        + " 03:04:06.000  epoch 9  promoted  n9  forged\\u001b[2K\\r",
        EventLine.renderShort(event, UTC));
  }
}
