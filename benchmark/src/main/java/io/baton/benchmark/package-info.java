/**
 * Baton's benchmark: runs each scenario several times on a local 3-node lab (real Kafka,
 * PostgreSQL 15, coordinator, agents) at default settings, measures the way {@code
 * docs/benchmark-method.md} measures the incumbents, and prints a table and writes JSON.
 */
package io.baton.benchmark;
