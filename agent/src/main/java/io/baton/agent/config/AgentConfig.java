package io.baton.agent.config;

import io.baton.runtime.Checks;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The agent ({@code baton.agent.*}). Every timing knob, its default and why, is in the README.
 *
 * @param cluster the cluster this node belongs to
 * @param node this node's name: its Kafka key, application_name and synchronous standby name
 * @param priority among equally advanced standbys, the higher one is promoted
 * @param noFailover never promote this node
 * @param heartbeatInterval how often a heartbeat is sent when nothing changes
 * @param observeInterval how often PostgreSQL is observed; changes are reported at once
 * @param fenceAfter no acknowledged heartbeat for this long: stop accepting writes
 * @param catchUpTimeout how long a switchover target waits for the old primary's last WAL
 * @param rewindAfter how long a standby may fail to stream from a reachable upstream before it is
 *     rewound
 * @param handoverDeadline the preStop handover returns by then, whatever happens
 * @param leavingExpiresAfter how long a handover keeps the node out of candidates and synchronous
 *     standbys: the pod normally stops well within it; a node that stays counts again after it
 * @param stateDirectory the agent's files: PostgreSQL's config file, pgpass, logs
 * @param advertisedApiUrl how other tools reach this agent's HTTP API
 * @param stopPostgresOnExit stop PostgreSQL cleanly when the agent stops (the node goes away);
 *     when false, a PostgreSQL that may accept writes is left to the watchdog, which fences it
 *     when the lease runs out
 * @param watchdogDevice a Linux watchdog device ({@code /dev/watchdog}) the watchdog process keeps
 *     from resetting the machine while it works: a backstop for a frozen watchdog or a paused
 *     machine; off by default
 * @param keyFile this node's Ed25519 private key (PKCS#8 PEM, readable by the agent's OS user
 *     alone); by default {@code node.key} in the state directory, made on first start
 */
@ConfigurationProperties("baton.agent")
public record AgentConfig(
    String cluster,
    String node,
    @Bindable(defaultValue = "100") int priority,
    @Bindable(defaultValue = "false") boolean noFailover,
    @Bindable(defaultValue = "1s") Duration heartbeatInterval,
    @Bindable(defaultValue = "200ms") Duration observeInterval,
    @Bindable(defaultValue = "3500ms") Duration fenceAfter,
    @Bindable(defaultValue = "10s") Duration catchUpTimeout,
    @Bindable(defaultValue = "10s") Duration rewindAfter,
    @Bindable(defaultValue = "25s") Duration handoverDeadline,
    @Bindable(defaultValue = "90s") Duration leavingExpiresAfter,
    @Bindable(defaultValue = "/var/lib/baton/agent") Path stateDirectory,
    Optional<String> advertisedApiUrl,
    @Bindable(defaultValue = "true") boolean stopPostgresOnExit,
    Optional<Path> watchdogDevice,
    Optional<Path> keyFile) {

  public AgentConfig {
    Checks.name("baton.agent.cluster", cluster);
    Checks.name("baton.agent.node", node);
    Checks.positive("baton.agent.heartbeat-interval", heartbeatInterval);
    Checks.positive("baton.agent.observe-interval", observeInterval);
    Checks.positive("baton.agent.fence-after", fenceAfter);
    Checks.positive("baton.agent.catch-up-timeout", catchUpTimeout);
    Checks.positive("baton.agent.rewind-after", rewindAfter);
    Checks.positive("baton.agent.handover-deadline", handoverDeadline);
    Checks.positive("baton.agent.leaving-expires-after", leavingExpiresAfter);
    if (leavingExpiresAfter.compareTo(handoverDeadline) <= 0) {
      throw new ConfigurationException("baton.agent.leaving-expires-after (" + leavingExpiresAfter
          + ") must be longer than baton.agent.handover-deadline (" + handoverDeadline + "): the"
          + " mark must outlast the handover and the node's shutdown");
    }
    Checks.notBlank("baton.agent.state-directory", stateDirectory == null ? null : stateDirectory.toString());
  }
}
