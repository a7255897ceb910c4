package io.baton.benchmark.campaign.check;

/**
 * A broken invariant: which rule, when (CLOCK_MONOTONIC, so the report can place it in the
 * schedule) and what happened, in one paragraph.
 */
public record Violation(Rule rule, long atNanos, String description) {

  /** The campaign's invariants. */
  public enum Rule {
    /** Two nodes acknowledged writes in overlapping intervals: two writable primaries. */
    OVERLAPPING_WRITES("two writable primaries: overlapping acknowledged writes"),
    /** A node acknowledged a write begun after a master record naming another node was seen. */
    WRITE_ON_DEPOSED_NODE("two writable primaries: a write on a node the master record deposed"),
    /** An acknowledged write of the client is not on the final primary, where it must be. */
    ACKNOWLEDGED_WRITE_LOST("acknowledged write lost"),
    /** The cluster did not come back to one primary with every standby streaming in time. */
    NOT_CONVERGED("no convergence after the faults healed");

    private final String label;

    Rule(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
