/**
 * Reading Baton's topics for one cluster with consumers that join no group and read only
 * committed records, so the CLI works while the coordinator is down and leaves no trace.
 */
package io.baton.cli.kafka;
