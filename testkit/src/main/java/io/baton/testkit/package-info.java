/**
 * Real parts for Baton's integration tests, demo and benchmark, not mocks: an embedded KRaft
 * broker ({@link io.baton.testkit.kafka}), PostgreSQL 15 clusters ({@link
 * io.baton.testkit.postgres}), child processes that tests can kill or freeze ({@link
 * io.baton.testkit.process}), network namespaces for network cuts ({@link
 * io.baton.testkit.netns}) and a write probe that measures outages and lost writes ({@link
 * io.baton.testkit.probe}).
 *
 * <p>Everything started here is stopped and every directory removed on {@code close()}, and by a
 * JVM shutdown hook ({@link io.baton.testkit.cleanup.ShutdownCleanup}) when a test forgets or
 * fails. A missing tool raises {@link io.baton.testkit.MissingToolException} with the command
 * that installs it; nothing skips silently.
 */
package io.baton.testkit;
