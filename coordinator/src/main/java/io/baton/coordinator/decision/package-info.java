/**
 * The coordinator's decisions, as pure functions: {@code (cluster state, one input, broker time)
 * -> (new cluster state, effects)}. {@link io.baton.coordinator.decision.TransitionTable} lists
 * every phase transition with one line saying why; {@link io.baton.coordinator.decision.Decider}
 * walks it. Nothing in this package touches Kafka, Micronaut, the network or the clock: the
 * broker time of the input is passed in, so a replay decides exactly as the first run did.
 */
package io.baton.coordinator.decision;
