package io.baton.coordinator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 9: a request's wait is capped, and so is the number of requests waiting at once. */
class RequestWaitsTest {
  private final RequestWaits waits =
      new RequestWaits(new ApiWaitConfig(Duration.ofSeconds(60), 2));

  @Test
  void aWaitLongerThanTheCapIsRefusedNamingTheCap() {
    RequestWaits.Refused refused = assertInstanceOf(RequestWaits.Refused.class,
        waits.admit(Optional.of(Duration.ofMinutes(10))));
    assertEquals(400, refused.status());
    assertTrue(refused.reason().contains("longest wait of 60 s (baton.coordinator.api.max-wait)"),
        refused.reason());
    assertInstanceOf(RequestWaits.Refused.class, waits.admit(Optional.of(Duration.ZERO)));
  }

  @Test
  void withoutAWaitTheDefaultIsUsedButNeverMoreThanTheCap() {
    try (RequestWaits.Admitted admitted =
        assertInstanceOf(RequestWaits.Admitted.class, waits.admit(Optional.empty()))) {
      assertEquals(Duration.ofSeconds(30), admitted.waitFor());
    }
    RequestWaits short10 = new RequestWaits(new ApiWaitConfig(Duration.ofSeconds(10), 2));
    try (RequestWaits.Admitted admitted =
        assertInstanceOf(RequestWaits.Admitted.class, short10.admit(Optional.empty()))) {
      assertEquals(Duration.ofSeconds(10), admitted.waitFor());
    }
  }

  @Test
  void onlySoManyRequestsWaitAtOnceAndAPlaceIsGivenBack() {
    RequestWaits.Admitted first = assertInstanceOf(RequestWaits.Admitted.class,
        waits.admit(Optional.of(Duration.ofSeconds(5))));
    RequestWaits.Admitted second = assertInstanceOf(RequestWaits.Admitted.class,
        waits.admit(Optional.of(Duration.ofSeconds(5))));
    RequestWaits.Refused third = assertInstanceOf(RequestWaits.Refused.class,
        waits.admit(Optional.of(Duration.ofSeconds(5))));
    assertEquals(429, third.status());
    first.close();
    assertInstanceOf(RequestWaits.Admitted.class, waits.admit(Optional.of(Duration.ofSeconds(5))))
        .close();
    second.close();
  }
}
