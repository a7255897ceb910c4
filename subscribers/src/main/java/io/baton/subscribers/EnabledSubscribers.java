package io.baton.subscribers;

import io.baton.subscribers.follow.SubscriberRunner;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Refuses to start a process that would subscribe to nothing. */
@Context
public class EnabledSubscribers {
  private static final Logger log = LoggerFactory.getLogger(EnabledSubscribers.class);

  public EnabledSubscribers(List<SubscriberRunner> runners) {
    if (runners.isEmpty()) {
      throw new ConfigurationException("no subscriber is enabled: set baton.haproxy.enabled,"
          + " baton.pgbouncer.enabled or baton.hook.enabled to true");
    }
    log.info("subscribers running: {}", runners.stream().map(SubscriberRunner::name).toList());
  }
}
