/**
 * What the coordinator remembers of each cluster between inputs: the node views, the master, the
 * phase of the current operation. Immutable records, stored as JSON in a Kafka Streams state
 * store; nothing here does I/O.
 */
package io.baton.coordinator.cluster;
