/**
 * The primary's lease. Kafka is not a lock service, so the lease is explicit: PostgreSQL may
 * accept writes only while the agent's heartbeats are being acknowledged by the broker. The
 * {@link io.baton.agent.fencing.Lease} turns acknowledgements into a deadline; the agent fences
 * when it passes, and a separate watchdog process does the same if the agent itself is frozen or
 * dead.
 */
package io.baton.agent.fencing;
