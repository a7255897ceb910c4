package io.baton.coordinator.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.baton.events.Lsn;
import java.time.Instant;
import java.util.Optional;

/** Where a cluster stands: at rest, or in the middle of one operation. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Phase.AwaitingPrimary.class, name = "awaiting-primary"),
  @JsonSubTypes.Type(value = Phase.Stable.class, name = "stable"),
  @JsonSubTypes.Type(value = Phase.PrimaryLost.class, name = "primary-lost"),
  @JsonSubTypes.Type(value = Phase.Promoting.class, name = "promoting"),
  @JsonSubTypes.Type(value = Phase.Switchover.class, name = "switchover")
})
public sealed interface Phase {

  @JsonIgnore
  PhaseKind kind();

  /**
   * No master yet: waiting until exactly one node reports a primary to adopt.
   *
   * @param since broker time of the cluster's first heartbeat
   * @param blockedReason why adoption is not possible yet, as last reported
   */
  record AwaitingPrimary(Optional<Instant> since, Optional<String> blockedReason)
      implements Phase {
    public AwaitingPrimary {
      since = since == null ? Optional.empty() : since;
      blockedReason = blockedReason == null ? Optional.empty() : blockedReason;
    }

    @Override
    public PhaseKind kind() {
      return PhaseKind.AWAITING_PRIMARY;
    }
  }

  /** The master is healthy; standbys come and go without changing it. */
  record Stable() implements Phase {
    @Override
    public PhaseKind kind() {
      return PhaseKind.STABLE;
    }
  }

  /**
   * The master can no longer accept writes (lease lapsed, or its agent gave up the role);
   * waiting for an eligible candidate, or for the master to return.
   *
   * @param node the node that was writable last: the one that may return as the primary
   * @param requestId an operator's failover request that chose the candidate or forced it
   * @param blockedReason why no candidate was promoted, as last reported
   * @param floor every write acknowledged so far lies at or below this WAL position: the lost
   *     node's last position while running, and that of any earlier writer whose role it took
   *     (a failed promotion), or the drain position of a switchover
   * @param heardUntil the last sign of life of any of those writers: a candidate's position counts
   *     only if it reported after it
   */
  record PrimaryLost(
      String node,
      Instant since,
      String reason,
      Optional<String> requestedCandidate,
      boolean force,
      Optional<String> requestId,
      Optional<String> blockedReason,
      Lsn floor,
      Instant heardUntil)
      implements Phase {
    public PrimaryLost {
      requestedCandidate = requestedCandidate == null ? Optional.empty() : requestedCandidate;
      requestId = requestId == null ? Optional.empty() : requestId;
      blockedReason = blockedReason == null ? Optional.empty() : blockedReason;
      floor = floor == null ? Lsn.ZERO : floor;
      heardUntil = heardUntil == null ? since : heardUntil;
    }

    public PrimaryLost blocked(String why) {
      return new PrimaryLost(
          node, since, reason, requestedCandidate, force, requestId, Optional.of(why), floor,
          heardUntil);
    }

    public PrimaryLost requested(
        Optional<String> candidate, boolean forced, Optional<String> request) {
      return new PrimaryLost(
          node, since, reason, candidate, forced, request, Optional.empty(), floor, heardUntil);
    }

    /** The operator's request was answered: back to choosing on the cluster's own terms. */
    public PrimaryLost refused(String why) {
      return new PrimaryLost(
          node, since, reason, Optional.empty(), false, Optional.empty(), Optional.of(why), floor,
          heardUntil);
    }

    @Override
    public PhaseKind kind() {
      return PhaseKind.PRIMARY_LOST;
    }
  }

  /**
   * A node was told to become primary; waiting for it to report that it is.
   *
   * @param generation the generation of its primary assignment
   * @param floor every write acknowledged before the promotion lies at or below this position
   * @param heardUntil the last sign of life of the writer it replaces
   */
  record Promoting(
      String candidate, long generation, Instant since, Origin origin, Lsn floor,
      Instant heardUntil)
      implements Phase {
    public Promoting {
      floor = floor == null ? Lsn.ZERO : floor;
      heardUntil = heardUntil == null ? since : heardUntil;
    }

    /** The same promotion under a newer assignment (its lease was renewed). */
    public Promoting renewed(long newer) {
      return new Promoting(candidate, newer, since, origin, floor, heardUntil);
    }

    @Override
    public PhaseKind kind() {
      return PhaseKind.PROMOTING;
    }
  }

  /**
   * A planned switchover from {@code from} to {@code target} before the promotion.
   *
   * @param step making the target synchronous, or draining the primary
   * @param stepSince broker time at which the step began
   */
  record Switchover(
      String requestId,
      String from,
      String target,
      SwitchoverStep step,
      Instant startedAt,
      Instant stepSince)
      implements Phase {

    public Switchover step(SwitchoverStep next, Instant at) {
      return new Switchover(requestId, from, target, next, startedAt, at);
    }

    public Switchover retarget(String newTarget) {
      return new Switchover(requestId, from, newTarget, step, startedAt, stepSince);
    }

    @Override
    public PhaseKind kind() {
      return step == SwitchoverStep.SYNCING
          ? PhaseKind.SWITCHOVER_SYNCING
          : PhaseKind.SWITCHOVER_DRAINING;
    }
  }

  enum SwitchoverStep {
    SYNCING,
    DRAINING
  }

  /** Why a node is being promoted. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Origin.Adoption.class, name = "adoption"),
    @JsonSubTypes.Type(value = Origin.Failover.class, name = "failover"),
    @JsonSubTypes.Type(value = Origin.Reinstatement.class, name = "reinstatement"),
    @JsonSubTypes.Type(value = Origin.Switchover.class, name = "switchover")
  })
  sealed interface Origin {
    /** The cluster's first primary. */
    record Adoption(String reason) implements Origin {}

    /** The previous primary was lost. */
    record Failover(String lostNode, String reason, Optional<String> requestId)
        implements Origin {
      public Failover {
        requestId = requestId == null ? Optional.empty() : requestId;
      }
    }

    /** The previous primary comes back as primary (a failed switchover, a lost primary returned). */
    record Reinstatement(String reason, Optional<String> requestId) implements Origin {
      public Reinstatement {
        requestId = requestId == null ? Optional.empty() : requestId;
      }
    }

    /** A planned switchover. */
    record Switchover(String requestId, String from, Instant startedAt) implements Origin {}
  }
}
