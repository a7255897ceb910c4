/**
 * The Kafka Streams side of the coordinator: the topology, a thin processor around the pure
 * {@link io.baton.coordinator.decision.Decider}, the broker-time clock, and topic set-up.
 */
package io.baton.coordinator.topology;
