package io.baton.coordinator.decision;

import io.baton.coordinator.cluster.PhaseKind;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * One row of the transition table: in phase {@code from}, when the guard holds over the step's
 * {@link Facts}, the action changes the cluster and it reaches phase {@code to}.
 *
 * @param name the transition's name, as it appears in the architecture document
 * @param why one line: why this transition exists
 * @param when the guard: reads the facts, changes nothing
 * @param then the action: called only when the guard holds
 */
public record Transition(
    PhaseKind from,
    PhaseKind to,
    String name,
    String why,
    Predicate<Facts> when,
    BiConsumer<Facts, Change> then) {}
