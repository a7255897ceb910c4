package io.baton.coordinator.decision;

import io.baton.coordinator.cluster.PhaseKind;

/**
 * One row of the transition table.
 *
 * @param name the transition's name, as it appears in the architecture document
 * @param why one line: why this transition exists
 * @param rule fires when its condition holds, applying the transition; changes nothing otherwise
 */
public record Transition(PhaseKind from, PhaseKind to, String name, String why, Rule rule) {

  /** A transition's condition and action in one: returns whether it fired. */
  @FunctionalInterface
  public interface Rule {
    boolean fire(Change change);
  }
}
