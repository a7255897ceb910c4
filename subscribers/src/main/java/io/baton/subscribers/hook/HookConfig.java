package io.baton.subscribers.hook;

import io.baton.runtime.Checks;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The command hook ({@code baton.hook.*}).
 *
 * @param enabled whether to run it, default false
 * @param groupId consumer group for lag monitoring, default {@code baton-subscriber-hook}
 * @param clusters the clusters to run it for, default every cluster
 * @param command the program and its arguments, run without a shell; required
 * @param timeout how long one run may take before it and its children are killed, default 30 s
 * @param retries runs after a failed one (non-zero exit or timeout), default 3
 * @param retryBackoff wait before the first retry, doubled before each next one, default 1 s
 * @param stateDirectory where the last epoch run per cluster is kept across restarts, default
 *     {@code /var/lib/baton/hook}
 */
@ConfigurationProperties("baton.hook")
public record HookConfig(
    @Bindable(defaultValue = "false") boolean enabled,
    @Bindable(defaultValue = "baton-subscriber-hook") String groupId,
    @Nullable List<String> clusters,
    @Nullable List<String> command,
    @Bindable(defaultValue = "30s") Duration timeout,
    @Bindable(defaultValue = "3") int retries,
    @Bindable(defaultValue = "1s") Duration retryBackoff,
    @Bindable(defaultValue = "/var/lib/baton/hook") Path stateDirectory) {

  public HookConfig {
    Checks.notBlank("baton.hook.group-id", groupId);
    clusters = Checks.orEmpty(clusters);
    clusters.forEach(c -> Checks.name("baton.hook.clusters", c));
    command = List.copyOf(Checks.notEmpty("baton.hook.command", Checks.orEmpty(command),
        "name the program to run and its arguments, e.g. [/usr/local/bin/on-new-primary]"));
    Checks.positive("baton.hook.timeout", timeout);
    Checks.between("baton.hook.retries", retries, 0, 100);
    Checks.positive("baton.hook.retry-backoff", retryBackoff);
  }
}
