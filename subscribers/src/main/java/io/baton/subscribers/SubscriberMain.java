package io.baton.subscribers;

import io.micronaut.runtime.Micronaut;

/**
 * Runs the enabled subscribers (HAProxy, PgBouncer, command hook) with the metrics endpoint:
 * {@code java -jar baton-subscribers.jar}, configured by {@code application.yml}, environment
 * variables ({@code BATON_HAPROXY_ENABLED=true}) or {@code -Dmicronaut.config.files=...}.
 */
public final class SubscriberMain {
  private SubscriberMain() {}

  public static void main(String[] args) {
    Micronaut.build(args).mainClass(SubscriberMain.class).start();
  }
}
