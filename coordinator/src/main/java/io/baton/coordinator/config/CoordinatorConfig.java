package io.baton.coordinator.config;

import io.baton.coordinator.policy.Policy;
import io.baton.events.ReplicationMode;
import io.baton.runtime.Checks;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The coordinator process ({@code baton.coordinator.*}). Timing knobs, with the reason for each
 * default, are listed in the README.
 *
 * @param applicationId the Kafka Streams application id: its consumer group and state topics
 * @param instanceId this instance's static group membership id: a restarted instance with the same
 *     id takes its partitions back at once instead of waiting for the session timeout
 * @param stateDirectory where Kafka Streams keeps its local state
 * @param commitInterval how often decisions are committed; outputs are visible to readers only
 *     then (exactly-once), so this bounds the coordinator's added latency
 * @param tickInterval how often the broker-time clock ticks; the granularity of failure detection
 * @param clockMaxStep the most the liveness clock advances per record: a longer step is a
 *     silence of the whole partition (Kafka down, ticks not appended) or a broker clock jump, not
 *     a sign that a node stopped
 * @param failoverAfter broker time without heartbeats after which a node is lost
 * @param fencingMargin least time between an agent's fence-after and failover-after
 * @param maximumLagOnFailover bytes a candidate may lag and still be promoted without --force
 * @param switchoverTimeout how long a switchover may take before it is aborted
 * @param promotionTimeout how long a node told to become primary may take before it is stopped
 *     and another chosen
 * @param replicationMode the replication mode of clusters nobody has configured
 * @param requestTimeToLive a request appended longer ago than this when decided is refused
 * @param operatorKeysFile the operators whose signed requests and enrollments count: one per
 *     line, {@code NAME PUBLIC-KEY [CLUSTER,...]}; without it only the HTTP API's requests count
 * @param unverifiedClusters clusters being migrated to enrollment, where heartbeats of nodes that
 *     are not enrolled are believed unsigned; empty by default, and it should stay so
 * @param httpRequestKeyFile the private key the HTTP API signs its requests with, as operator {@link
 *     #httpRequestOperator}; every instance trusts it. Without it each instance makes a key of its own
 *     at start, which only that instance trusts: enough for one instance
 * @param httpRequestOperator the operator name of the HTTP API's requests
 */
@ConfigurationProperties("baton.coordinator")
public record CoordinatorConfig(
    @Bindable(defaultValue = "baton-coordinator") String applicationId,
    @Bindable(defaultValue = "coordinator-1") String instanceId,
    @Bindable(defaultValue = "/tmp/baton-coordinator") Path stateDirectory,
    @Bindable(defaultValue = "25ms") Duration commitInterval,
    @Bindable(defaultValue = "100ms") Duration tickInterval,
    @Bindable(defaultValue = "500ms") Duration clockMaxStep,
    @Bindable(defaultValue = "5s") Duration failoverAfter,
    @Bindable(defaultValue = "1s") Duration fencingMargin,
    @Bindable(defaultValue = "1048576") long maximumLagOnFailover,
    @Bindable(defaultValue = "15s") Duration switchoverTimeout,
    @Bindable(defaultValue = "30s") Duration promotionTimeout,
    @Bindable(defaultValue = "async") String replicationMode,
    @Bindable(defaultValue = "60s") Duration requestTimeToLive,
    Optional<Path> operatorKeysFile,
    Optional<List<String>> unverifiedClusters,
    Optional<Path> httpRequestKeyFile,
    @Bindable(defaultValue = "http") String httpRequestOperator) {

  public CoordinatorConfig {
    Checks.notBlank("baton.coordinator.application-id", applicationId);
    Checks.notBlank("baton.coordinator.instance-id", instanceId);
    Checks.positive("baton.coordinator.commit-interval", commitInterval);
    Checks.positive("baton.coordinator.tick-interval", tickInterval);
    Checks.positive("baton.coordinator.failover-after", failoverAfter);
    Checks.positive("baton.coordinator.switchover-timeout", switchoverTimeout);
    Checks.positive("baton.coordinator.promotion-timeout", promotionTimeout);
    Checks.positive("baton.coordinator.clock-max-step", clockMaxStep);
    if (clockMaxStep.compareTo(tickInterval) < 0) {
      throw new ConfigurationException(
          "baton.coordinator.clock-max-step " + clockMaxStep + " is shorter than tick-interval "
              + tickInterval + ": the clock would run slow even while ticks arrive");
    }
    if (clockMaxStep.compareTo(fencingMargin) >= 0) {
      throw new ConfigurationException(
          "baton.coordinator.clock-max-step " + clockMaxStep + " must be shorter than"
              + " fencing-margin " + fencingMargin + ": a broker clock jump may advance the"
              + " clock by that much, and the margin must cover it");
    }
    Checks.positive("baton.coordinator.request-time-to-live", requestTimeToLive);
    if (fencingMargin == null || fencingMargin.isNegative()) {
      throw new ConfigurationException("baton.coordinator.fencing-margin must not be negative");
    }
    if (maximumLagOnFailover < 0) {
      throw new ConfigurationException("baton.coordinator.maximum-lag-on-failover must not be negative");
    }
    unverifiedClusters.ifPresent(clusters ->
        clusters.forEach(cluster -> Checks.name("baton.coordinator.unverified-clusters", cluster)));
    Checks.name("baton.coordinator.http-request-operator", httpRequestOperator);
    try {
      ReplicationMode.of(replicationMode);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("baton.coordinator.replication-mode: " + e.getMessage());
    }
  }

  public Policy policy() {
    return new Policy(
        failoverAfter, fencingMargin, maximumLagOnFailover, switchoverTimeout, promotionTimeout,
        ReplicationMode.of(replicationMode), requestTimeToLive);
  }
}
