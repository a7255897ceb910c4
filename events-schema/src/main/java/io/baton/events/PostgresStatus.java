package io.baton.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One observation of a PostgreSQL node.
 *
 * @param host where clients and standbys reach this node
 * @param timeline the current timeline; on a standby the one it receives
 * @param currentLsn on a primary, {@code pg_current_wal_lsn()}
 * @param receivedLsn on a standby, the last WAL position received and flushed
 * @param replayedLsn on a standby, the last WAL position replayed
 * @param receiver on a standby, its WAL receiver
 * @param replicas on a primary, every standby connected to it, as {@code pg_stat_replication}
 *     shows them
 * @param synchronousStandbyNames on a primary, the value in effect
 * @param serverVersion e.g. {@code 15.18}
 * @param systemIdentifier the database system identifier; nodes of one cluster share it
 * @param dataDirectory what {@code pg_controldata} says, reported while PostgreSQL is not running
 * @param error why PostgreSQL could not be observed, when it could not
 */
public record PostgresStatus(
    @JsonProperty(required = true) Health health,
    @JsonProperty(required = true) Role role,
    @JsonProperty(required = true) String host,
    @JsonProperty(required = true) int port,
    OptionalLong timeline,
    Optional<Lsn> currentLsn,
    Optional<Lsn> receivedLsn,
    Optional<Lsn> replayedLsn,
    Optional<ReceiverStatus> receiver,
    List<ReplicaStatus> replicas,
    Optional<String> synchronousStandbyNames,
    Optional<String> serverVersion,
    Optional<String> systemIdentifier,
    Optional<DataDirectoryStatus> dataDirectory,
    Optional<String> error) {

  public PostgresStatus {
    Fields.required("health", health);
    Fields.required("role", role);
    Hosts.require("host", host);
    Fields.port("port", port);
    timeline = Fields.atLeast("timeline", timeline, 1);
    currentLsn = Fields.optional(currentLsn);
    receivedLsn = Fields.optional(receivedLsn);
    replayedLsn = Fields.optional(replayedLsn);
    receiver = Fields.optional(receiver);
    replicas = Fields.list(replicas);
    synchronousStandbyNames = Fields.optional(synchronousStandbyNames);
    serverVersion = Fields.optional(serverVersion);
    systemIdentifier = Fields.optional(systemIdentifier);
    systemIdentifier.ifPresent(id -> Fields.digits("systemIdentifier", id));
    dataDirectory = Fields.optional(dataDirectory);
    error = Fields.optional(error);
  }

  /** A node whose PostgreSQL could not be observed at all. */
  public static PostgresStatus unobserved(Health health, String host, int port, String error) {
    return new PostgresStatus(
        health, Role.UNKNOWN, host, port, OptionalLong.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.of(error));
  }

  public boolean isRunningPrimary() {
    return health == Health.UP && role == Role.PRIMARY;
  }

  public boolean isRunningStandby() {
    return health == Health.UP && role == Role.STANDBY;
  }

  /** The furthest WAL position this node is known to hold. */
  public Optional<Lsn> walPosition() {
    if (currentLsn.isPresent()) {
      return currentLsn;
    }
    if (receivedLsn.isPresent() && replayedLsn.isPresent()) {
      return Optional.of(Lsn.max(receivedLsn.get(), replayedLsn.get()));
    }
    return receivedLsn.or(() -> replayedLsn)
        .or(() -> dataDirectory.map(DataDirectoryStatus::checkpointLsn));
  }

  public PostgresStatus withDataDirectory(DataDirectoryStatus status) {
    return new PostgresStatus(
        health, role, host, port, timeline, currentLsn, receivedLsn, replayedLsn, receiver,
        replicas, synchronousStandbyNames, serverVersion, systemIdentifier, Optional.of(status),
        error);
  }
}
