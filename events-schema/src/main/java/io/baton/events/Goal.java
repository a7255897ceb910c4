package io.baton.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The state the coordinator wants a node in. The agent converges its PostgreSQL to it and
 * reports how far it got; lost or repeated assignments are harmless.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "state")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Goal.Primary.class, name = "primary"),
  @JsonSubTypes.Type(value = Goal.Standby.class, name = "standby"),
  @JsonSubTypes.Type(value = Goal.Drained.class, name = "drained"),
  @JsonSubTypes.Type(value = Goal.Stopped.class, name = "stopped")
})
public sealed interface Goal {

  /** The wire name of this goal state. */
  @JsonIgnore
  String state();

  /**
   * Be the writable primary. A standby given this goal promotes itself, after its received WAL
   * reached {@code catchUpTo} when that is set (the old primary's last position in a
   * switchover).
   *
   * @param synchronousStandbys the standbys commits wait for, in priority order; empty for
   *     asynchronous replication
   * @param synchronousCount how many of them must confirm each commit
   * @param timelineAbove a standby promoting takes a timeline above this one, if set. Two
   *     promotions from the same timeline would otherwise both take the next one, and pg_rewind,
   *     which compares timeline numbers, could not tell their histories apart: a candidate that
   *     promoted without the coordinator hearing of it could never rejoin.
   */
  record Primary(
      List<String> synchronousStandbys,
      @JsonProperty(required = true) int synchronousCount,
      Optional<Lsn> catchUpTo,
      OptionalLong timelineAbove)
      implements Goal {

    public Primary {
      synchronousStandbys = Fields.list(synchronousStandbys);
      for (int i = 0; i < synchronousStandbys.size(); i++) {
        Names.require("synchronousStandbys[" + i + "]", synchronousStandbys.get(i));
      }
      Fields.atLeast("synchronousCount", synchronousCount, 0);
      if (synchronousCount > synchronousStandbys.size()) {
        throw new InvalidFieldException(
            "synchronousCount",
            "is " + synchronousCount + " but only " + synchronousStandbys.size()
                + " synchronous standbys are named");
      }
      catchUpTo = Fields.optional(catchUpTo);
      timelineAbove = Fields.atLeast("timelineAbove", timelineAbove, 0);
    }

    public Primary(List<String> synchronousStandbys, int synchronousCount, Optional<Lsn> catchUpTo) {
      this(synchronousStandbys, synchronousCount, catchUpTo, OptionalLong.empty());
    }

    /** The same goal for a standby that must promote to a timeline above {@code timeline}. */
    public Primary promotingAbove(long timeline) {
      return new Primary(synchronousStandbys, synchronousCount, catchUpTo,
          OptionalLong.of(timeline));
    }

    public static Primary asynchronous() {
      return new Primary(List.of(), 0, Optional.empty());
    }

    @Override
    public String state() {
      return "primary";
    }
  }

  /** Replicate from {@code upstream}, rewinding first if this node's history diverged. */
  record Standby(@JsonProperty(required = true) Upstream upstream) implements Goal {
    public Standby {
      Fields.required("upstream", upstream);
    }

    @Override
    public String state() {
      return "standby";
    }
  }

  /**
   * Stop cleanly for a switchover: end every session, write a shutdown checkpoint, let the
   * standbys receive all of it, and report the last WAL position.
   */
  record Drained() implements Goal {
    @Override
    public String state() {
      return "drained";
    }
  }

  /** Keep PostgreSQL stopped. */
  record Stopped() implements Goal {
    @Override
    public String state() {
      return "stopped";
    }
  }
}
