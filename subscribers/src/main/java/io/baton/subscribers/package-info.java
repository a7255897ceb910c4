/**
 * Baton's subscribers: processes that follow the master topic and re-point real infrastructure.
 * {@link io.baton.subscribers.SubscriberMain} runs the enabled ones; {@code haproxy}, {@code
 * pgbouncer} and {@code hook} hold one each, {@code follow} what they share.
 */
package io.baton.subscribers;
