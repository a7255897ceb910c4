package io.baton.subscribers.pgbouncer;

import io.baton.runtime.KafkaConfig;
import io.baton.subscribers.follow.SubscriberRunner;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Named;
import java.util.List;

/** Starts the PgBouncer subscriber when {@code baton.pgbouncer.enabled} is true. */
@Factory
public class PgBouncerSubscriber {
  @Context
  @Named("pgbouncer")
  @Bean(preDestroy = "close")
  @Requires(property = "baton.pgbouncer.enabled", value = "true")
  public SubscriberRunner pgbouncer(KafkaConfig kafka, PgBouncerConfig settings,
      List<PgBouncerDatabaseConfig> databases) {
    if (databases.isEmpty()) {
      throw new ConfigurationException("baton.pgbouncer.databases is empty: name at least one"
          + " database (baton.pgbouncer.databases.<name>.cluster: <cluster>)");
    }
    return SubscriberRunner.started(new PgBouncerTarget(settings, databases), kafka.connection(),
        settings.groupId(), kafka.statusInterval());
  }
}
