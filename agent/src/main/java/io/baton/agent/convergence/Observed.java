package io.baton.agent.convergence;

import io.baton.events.Health;
import io.baton.events.PostgresStatus;
import io.baton.events.Role;

/** What the agent's PostgreSQL is right now, as far as the convergence table cares. */
public enum Observed {
  /** Running, accepting writes. */
  RUNNING_PRIMARY,
  /** Running in recovery. */
  RUNNING_STANDBY,
  /** Not running; its data directory would start as a primary. */
  STOPPED_PRIMARY,
  /** Not running; its data directory has standby.signal. */
  STOPPED_STANDBY,
  /** Starting up or in crash recovery. */
  STARTING,
  /** Running but not answering. */
  UNREACHABLE,
  /** Not running, and its data directory cannot be read. */
  UNREADABLE;

  public static Observed of(PostgresStatus postgres) {
    if (postgres.health() == Health.UP) {
      return postgres.role() == Role.PRIMARY ? RUNNING_PRIMARY : RUNNING_STANDBY;
    }
    if (postgres.health() == Health.STARTING) {
      return STARTING;
    }
    if (postgres.health() == Health.UNREACHABLE) {
      return UNREACHABLE;
    }
    return postgres.dataDirectory()
        .map(data -> data.isPrimary() ? STOPPED_PRIMARY : STOPPED_STANDBY)
        .orElse(UNREADABLE);
  }
}
