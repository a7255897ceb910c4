package io.baton.subscribers.follow;

import io.baton.client.MasterChange;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * What a subscriber re-points: HAProxy, PgBouncer, a command. {@link SubscriberRunner} calls it on
 * one worker thread, never concurrently, with the newest change of one cluster at a time.
 */
public interface Target {
  /** Short name for logs, metrics and the consumer group: {@code haproxy}, {@code pgbouncer}. */
  String name();

  /** The clusters to follow; empty for every cluster on the topic. */
  Set<String> clusters();

  /**
   * Makes the target point at {@code change.current()}. Must be idempotent: a change is applied
   * again after a failure and after a restart.
   *
   * @return how it was applied, for the log line (e.g. "runtime API; config rewritten")
   * @throws ApplyFailedException when retrying would not help (the runner logs it and moves on)
   * @throws Exception on any other failure; the runner retries with backoff until a newer change
   *     for the cluster supersedes this one
   */
  String apply(MasterChange change, ApplyContext context) throws Exception;

  /**
   * How often {@link #reconcile} should run; empty when the target needs no periodic check.
   */
  default Optional<Duration> reconcileInterval() {
    return Optional.empty();
  }

  /**
   * Checks that the target still is as last applied and repairs it if not (e.g. HAProxy came
   * back from a restart); runs on the worker thread between changes.
   */
  default void reconcile(ApplyContext context) {}
}
