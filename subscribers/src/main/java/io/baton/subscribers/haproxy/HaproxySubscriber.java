package io.baton.subscribers.haproxy;

import io.baton.runtime.KafkaConfig;
import io.baton.subscribers.follow.SubscriberRunner;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Named;
import java.io.IOException;
import java.util.List;

/** Starts the HAProxy subscriber when {@code baton.haproxy.enabled} is true. */
@Factory
public class HaproxySubscriber {
  @Context
  @Named("haproxy")
  @Bean(preDestroy = "close")
  @Requires(property = "baton.haproxy.enabled", value = "true")
  public SubscriberRunner haproxy(KafkaConfig kafka, HaproxyConfig settings,
      List<HaproxyClusterConfig> clusters) throws IOException {
    if (clusters.isEmpty()) {
      throw new ConfigurationException("baton.haproxy.clusters is empty: name at least one cluster"
          + " (baton.haproxy.clusters.<cluster>.bind: 127.0.0.1:6543, or an empty map {})");
    }
    HaproxyTarget target = new HaproxyTarget(settings, clusters);
    target.writeInitialConfig();
    return SubscriberRunner.started(target, kafka.connection(), settings.groupId(),
        kafka.statusInterval());
  }
}
