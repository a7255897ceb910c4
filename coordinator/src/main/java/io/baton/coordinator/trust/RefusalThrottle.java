package io.baton.coordinator.trust;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How often a refusal is told on the events topic: once per cluster, subject and reason in each
 * {@link #interval}, so that a flood of forged records does not flood the events topic (every
 * one of them still goes to the dead letters). Remembers a bounded number of them, the least
 * recently told forgotten first. Kept in memory: after a restart a refusal is told once again.
 */
public final class RefusalThrottle {
  private static final int REMEMBERED = 4096;

  private final Duration interval;
  private final Map<String, Instant> told =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
          return size() > REMEMBERED;
        }
      };

  public RefusalThrottle(Duration interval) {
    this.interval = interval;
  }

  /** Whether to tell this refusal now; if so, it counts as told at {@code now}. */
  public synchronized boolean shouldTell(String cluster, Refusal refusal, Instant now) {
    String key = cluster + "\u0000" + refusal.subject() + "\u0000" + refusal.reason();
    Instant last = told.get(key);
    if (last != null && Duration.between(last, now).compareTo(interval) < 0) {
      return false;
    }
    told.put(key, now);
    return true;
  }
}
