/**
 * Real PostgreSQL 15 clusters for tests: {@link io.baton.testkit.postgres.PostgresCluster}
 * (built by {@link io.baton.testkit.postgres.PostgresClusterBuilder}) is a primary with
 * streaming standbys, prepared and stopped, ready for agents to run; {@link
 * io.baton.testkit.postgres.PostgresInstallation} finds the binaries and runs them as the
 * {@code postgres} OS user when the tests run as root.
 */
package io.baton.testkit.postgres;
