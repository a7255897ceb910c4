package io.baton.benchmark.campaign.fault;

/**
 * Which node a fault hits, by role, resolved only when the fault is injected: a schedule drawn
 * from a seed then means the same thing on every replay, whoever is primary by then.
 */
public enum Victim {
  PRIMARY("the primary"),
  /** The first standby in name order. */
  FIRST_STANDBY("the first standby"),
  /** The second standby in name order. */
  SECOND_STANDBY("the second standby");

  private final String description;

  Victim(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
