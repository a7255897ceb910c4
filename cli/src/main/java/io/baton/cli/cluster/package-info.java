/** A cluster as Kafka shows it: master record, latest heartbeats, assignments, maintenance. */
package io.baton.cli.cluster;
