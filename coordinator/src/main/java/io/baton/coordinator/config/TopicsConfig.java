package io.baton.coordinator.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.baton.runtime.Checks;
import java.time.Duration;
import java.util.Optional;

/**
 * How the coordinator creates missing topics ({@code baton.topics.*}); existing topics are
 * checked, never changed.
 *
 * @param partitions partitions of the heartbeats and requests topics (the unit of parallelism:
 *     one Streams task per partition) and of the others
 * @param replicationFactor defaults to the number of brokers, at most 3
 * @param heartbeatRetention heartbeats are only needed until the coordinator processed them
 * @param eventsRetention the history operators read
 */
@ConfigurationProperties("baton.topics")
public record TopicsConfig(
    @Bindable(defaultValue = "6") int partitions,
    Optional<Short> replicationFactor,
    @Bindable(defaultValue = "1h") Duration heartbeatRetention,
    @Bindable(defaultValue = "1d") Duration requestRetention,
    @Bindable(defaultValue = "30d") Duration eventsRetention) {

  public TopicsConfig {
    Checks.between("baton.topics.partitions", partitions, 1, 10_000);
    replicationFactor.ifPresent(r -> Checks.between("baton.topics.replication-factor", r, 1, 100));
    Checks.positive("baton.topics.heartbeat-retention", heartbeatRetention);
    Checks.positive("baton.topics.request-retention", requestRetention);
    Checks.positive("baton.topics.events-retention", eventsRetention);
  }
}
