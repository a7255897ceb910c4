package io.baton.subscribers.haproxy;

import io.baton.events.Printable;
import io.baton.runtime.Checks;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The HAProxy subscriber ({@code baton.haproxy.*}); the clusters it serves are {@link
 * HaproxyClusterConfig}s under {@code baton.haproxy.clusters.<cluster>}.
 *
 * @param enabled whether to run it, default false
 * @param groupId consumer group for lag monitoring, default {@code baton-subscriber-haproxy}; give
 *     every instance its own (e.g. {@code baton-haproxy-${HOSTNAME}})
 * @param adminSocket HAProxy's {@code stats socket ... level admin}, default
 *     {@code /run/haproxy/admin.sock}
 * @param configFile the file this subscriber owns and rewrites, loaded by HAProxy with an extra
 *     {@code -f}; default {@code /etc/haproxy/baton.cfg}
 * @param validateWith the other config files HAProxy loads, checked together with the new file
 *     by {@code haproxy -c} (not a directory that contains {@code configFile}); default none
 * @param binary the haproxy executable, default {@code /usr/sbin/haproxy}
 * @param reloadCommand run (argv, no shell) only when the running HAProxy lacks a backend of
 *     this file, e.g. {@code [systemctl, reload, haproxy]}; default none
 * @param reconcileInterval how often to compare HAProxy's servers with the applied masters and
 *     repair them (after an HAProxy restart), default 1 s
 * @param socketTimeout bound on each Runtime API command, default 2 s
 * @param serverOptions appended to every generated server line, e.g. {@code check port 8008},
 *     default none
 */
@ConfigurationProperties("baton.haproxy")
public record HaproxyConfig(
    @Bindable(defaultValue = "false") boolean enabled,
    @Bindable(defaultValue = "baton-subscriber-haproxy") String groupId,
    @Bindable(defaultValue = "/run/haproxy/admin.sock") Path adminSocket,
    @Bindable(defaultValue = "/etc/haproxy/baton.cfg") Path configFile,
    @Nullable List<Path> validateWith,
    @Bindable(defaultValue = "/usr/sbin/haproxy") Path binary,
    @Nullable List<String> reloadCommand,
    @Bindable(defaultValue = "1s") Duration reconcileInterval,
    @Bindable(defaultValue = "2s") Duration socketTimeout,
    @Bindable(defaultValue = "") String serverOptions) {

  public HaproxyConfig {
    Checks.notBlank("baton.haproxy.group-id", groupId);
    Checks.positive("baton.haproxy.reconcile-interval", reconcileInterval);
    Checks.positive("baton.haproxy.socket-timeout", socketTimeout);
    validateWith = Checks.orEmpty(validateWith);
    reloadCommand = Checks.orEmpty(reloadCommand);
    if (!Printable.isPrintable(serverOptions)) {
      throw new ConfigurationException("baton.haproxy.server-options "
          + Printable.quote(serverOptions) + " holds a line break or another control character:"
          + " write the options on one line");
    }
  }
}
