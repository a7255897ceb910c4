package io.baton.cli.status;

import io.baton.events.Lsn;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One node in {@code baton status}: what its latest heartbeat says, what it was assigned, and
 * what a person should notice.
 *
 * @param role what PostgreSQL itself reports ({@code primary}, {@code standby}, {@code unknown})
 * @param position the WAL it holds: written on a primary, received or replayed on a standby
 * @param lagBytes how far its position is behind the master's, for a standby
 * @param replication a standby's WAL receiver and sync state; a primary's streaming standbys
 * @param goal the goal state the coordinator last assigned
 * @param convergence how far the agent got with it; {@code pending} while not yet accepted
 * @param flags {@code leaving}, {@code fenced}, {@code no-failover}, {@code silent}, {@code
 *     unexpected-primary}
 */
public record NodeStatus(
    String name,
    Optional<String> host,
    OptionalInt port,
    String role,
    String health,
    OptionalLong timeline,
    Optional<Lsn> position,
    OptionalLong lagBytes,
    Optional<String> replication,
    Optional<String> goal,
    Optional<String> convergence,
    Optional<Instant> lastHeartbeat,
    Optional<Duration> heartbeatAge,
    List<String> flags,
    Optional<String> detail) {

  public NodeStatus {
    flags = List.copyOf(flags);
  }
}
