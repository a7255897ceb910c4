package io.baton.subscribers.hook;

import io.baton.runtime.KafkaConfig;
import io.baton.subscribers.follow.SubscriberRunner;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Named;
import java.io.IOException;
import java.nio.file.Files;

/** Starts the command hook when {@code baton.hook.enabled} is true. */
@Factory
public class HookSubscriber {
  @Context
  @Named("hook")
  @Bean(preDestroy = "close")
  @Requires(property = "baton.hook.enabled", value = "true")
  public SubscriberRunner hook(KafkaConfig kafka, HookConfig settings) throws IOException {
    Files.createDirectories(settings.stateDirectory());
    return SubscriberRunner.started(new HookTarget(settings), kafka.connection(),
        settings.groupId(), kafka.statusInterval());
  }
}
