package io.baton.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * A standby as its primary sees it, from {@code pg_stat_replication}.
 *
 * @param application the standby's {@code application_name}: Baton sets it to the node name;
 *     other clients (pg_basebackup, logical replication) may report any text, so it is free text
 *     and matches a node only when it is one
 * @param clientAddress the standby's IP address; absent for a Unix socket
 * @param state {@code streaming}, {@code catchup}, {@code startup}, {@code backup}...
 * @param syncState {@code async}, {@code potential}, {@code sync} or {@code quorum}
 */
public record ReplicaStatus(
    @JsonProperty(required = true) String application,
    Optional<String> clientAddress,
    @JsonProperty(required = true) String state,
    @JsonProperty(required = true) String syncState,
    Optional<Lsn> sentLsn,
    Optional<Lsn> writeLsn,
    Optional<Lsn> flushLsn,
    Optional<Lsn> replayLsn) {

  public ReplicaStatus {
    Fields.text("application", application);
    clientAddress = Fields.optional(clientAddress);
    clientAddress.ifPresent(address -> Hosts.require("clientAddress", address));
    Fields.text("state", state);
    Fields.text("syncState", syncState);
    sentLsn = Fields.optional(sentLsn);
    writeLsn = Fields.optional(writeLsn);
    flushLsn = Fields.optional(flushLsn);
    replayLsn = Fields.optional(replayLsn);
  }

  public boolean isStreaming() {
    return "streaming".equals(state);
  }

  public boolean isSynchronous() {
    return "sync".equals(syncState) || "quorum".equals(syncState);
  }
}
