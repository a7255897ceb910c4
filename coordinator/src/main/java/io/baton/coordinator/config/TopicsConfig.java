package io.baton.coordinator.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;
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
    @Bindable(defaultValue = "6") @Positive int partitions,
    Optional<Short> replicationFactor,
    @Bindable(defaultValue = "1h") Duration heartbeatRetention,
    @Bindable(defaultValue = "1d") Duration requestRetention,
    @Bindable(defaultValue = "30d") Duration eventsRetention) {}
