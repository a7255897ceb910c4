package io.baton.subscribers.haproxy;

import io.baton.runtime.Checks;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.util.Optional;

/**
 * One cluster served by HAProxy ({@code baton.haproxy.clusters.<cluster>.*}).
 *
 * @param cluster the cluster name (the key under {@code clusters})
 * @param backend the backend holding the primary, default {@code baton_<cluster>}
 * @param server the server in it, default {@code primary}
 * @param bind when set (e.g. {@code 127.0.0.1:6543}), a frontend listening there is generated
 *     too; otherwise point your own frontend at the backend
 */
@EachProperty("baton.haproxy.clusters")
public record HaproxyClusterConfig(
    @Parameter String cluster,
    Optional<String> backend,
    Optional<String> server,
    Optional<String> bind) {

  private static final String NAME = "[A-Za-z0-9_.:-]+";

  public HaproxyClusterConfig {
    String key = "baton.haproxy.clusters." + cluster;
    Checks.name(key, cluster);
    backend.ifPresent(b -> Checks.matches(key + ".backend", b, NAME, "use letters, digits, _.:-"));
    server.ifPresent(s -> Checks.matches(key + ".server", s, NAME, "use letters, digits, _.:-"));
    bind.ifPresent(b -> Checks.matches(key + ".bind", b, "\\S+:\\d+", "expected address:port"));
  }

  public String backendName() {
    return backend.orElse("baton_" + cluster);
  }

  public String serverName() {
    return server.orElse("primary");
  }
}
