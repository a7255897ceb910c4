/**
 * The agent's hands on its PostgreSQL: {@link io.baton.agent.postgres.PostgresControl}, the one
 * interface the agent's logic uses, and {@link io.baton.agent.postgres.LocalPostgres}, which
 * drives a real local PostgreSQL 15 (start, stop, fence, promote, follow, rewind, observe) with
 * its node- and role-specific settings in a file of the agent's outside the data directory.
 */
package io.baton.agent.postgres;
