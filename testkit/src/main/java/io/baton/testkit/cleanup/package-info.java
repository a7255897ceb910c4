/**
 * Clean-up of everything the test kit starts: {@link io.baton.testkit.cleanup.ShutdownCleanup} is
 * the JVM shutdown hook of last resort, {@link io.baton.testkit.cleanup.Directories} removes
 * directory trees.
 */
package io.baton.testkit.cleanup;
