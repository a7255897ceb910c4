package io.baton.subscribers.haproxy;

import io.baton.client.MasterChange;
import io.baton.events.MasterRecord;
import io.baton.events.Printable;
import io.baton.subscribers.files.AtomicFiles;
import io.baton.subscribers.follow.ApplyContext;
import io.baton.subscribers.follow.Target;
import io.baton.subscribers.process.Run;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps HAProxy's backend for each cluster pointing at the current primary.
 *
 * <p><b>Why the Runtime API, with a rendered file as the durable fallback, rather than render +
 * {@code haproxy -c} + reload.</b> Measured here with HAProxy 2.6: moving a server through the
 * admin socket takes well under a millisecond and touches nothing else; {@code haproxy -c} alone
 * takes 40-50 ms and a master-worker reload ~100 ms until the new worker answers. Worse, a reload
 * leaves the old worker serving its established connections, so sessions to the old primary
 * would survive the switch unless the old worker is killed, which also cuts every unrelated
 * connection. So a change is applied in this order:
 *
 * <ol>
 *   <li>Runtime API, only if HAProxy's server is not already there: {@code set server b/s state
 *       maint}; {@code set server b/s addr <ip> port <port>}; {@code shutdown sessions server b/s}
 *       (the sessions to the old primary, as stolon's proxy does); {@code set server b/s state
 *       ready}. In maintenance no new session can reach the server between the move and the
 *       shutdown, so only old sessions are cut. The Runtime API wants an IP address: host names
 *       are resolved here.
 *   <li>The file this subscriber owns is rendered for every cluster's newest known master,
 *       written to a temporary file, checked with {@code haproxy -c} together with the other
 *       configured files, and renamed over the old one, so an HAProxy (re)start comes up on the
 *       current primaries.
 *   <li>Only if the running HAProxy lacks the backend (it was started without this file), the
 *       configured reload command runs after the file is written.
 * </ol>
 *
 * <p>If the admin socket is unreachable (HAProxy down), the file is still written: HAProxy will
 * start from it. Every {@code reconcile-interval} the servers are compared with the applied
 * masters and re-pointed when they differ, which re-applies the state after HAProxy restarts from
 * an older file or someone changes a server by hand.
 */
final class HaproxyTarget implements Target {
  private static final Logger log = LoggerFactory.getLogger(HaproxyTarget.class);
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

  private record Endpoint(String address, int port) {
    @Override
    public String toString() {
      return address + ":" + port;
    }
  }

  private final HaproxyConfig settings;
  private final Map<String, HaproxyClusterConfig> clusters = new LinkedHashMap<>();
  private final RuntimeApi api;
  /** What this target applied, by cluster, for reconciling. */
  private final Map<String, MasterRecord> applied = new TreeMap<>();
  private boolean socketDown;

  HaproxyTarget(HaproxyConfig settings, List<HaproxyClusterConfig> clusters) {
    this.settings = settings;
    clusters.stream().sorted(java.util.Comparator.comparing(HaproxyClusterConfig::cluster))
        .forEach(c -> this.clusters.put(c.cluster(), c));
    this.api = new RuntimeApi(settings.adminSocket(), settings.socketTimeout());
  }

  @Override
  public String name() {
    return "haproxy";
  }

  @Override
  public Set<String> clusters() {
    return clusters.keySet();
  }

  @Override
  public Optional<Duration> reconcileInterval() {
    return Optional.of(settings.reconcileInterval());
  }

  /**
   * Writes the file with placeholders when it does not exist yet, so HAProxy can start with it
   * before the first primary is known.
   */
  void writeInitialConfig() throws IOException {
    if (!settings.configFile().toFile().exists()) {
      writeConfig(Map.of());
      log.info("wrote {} with placeholder servers for {}", settings.configFile(),
          clusters.keySet());
    }
  }

  @Override
  public String apply(MasterChange change, ApplyContext context) throws Exception {
    MasterRecord master = change.current();
    HaproxyClusterConfig cluster = clusters.get(master.cluster());
    Endpoint target = new Endpoint(resolve(master.host()), master.port());
    long started = System.nanoTime();
    String runtime;
    boolean missingInRunningHaproxy = false;
    try {
      runtime = converge(cluster, target);
      socketBack();
    } catch (RuntimeApi.MissingServerException e) {
      missingInRunningHaproxy = true;
      runtime = e.getMessage();
    } catch (RuntimeApi.RefusedException e) {
      // HAProxy is up and said no: a real failure, retried by the runner, not a socket outage.
      throw e;
    } catch (IOException e) {
      socketDown(e);
      runtime = "admin socket unavailable (HAProxy starts from the file; re-applied when the"
          + " socket is back)";
    }
    long runtimeMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    Map<String, MasterRecord> masters = new TreeMap<>(context.known());
    masters.put(master.cluster(), master);
    long fileStarted = System.nanoTime();
    boolean rewritten = writeConfig(masters);
    String file = (rewritten ? "file rewritten and checked in " : "file unchanged, ")
        + Duration.ofNanos(System.nanoTime() - fileStarted).toMillis() + " ms";
    if (missingInRunningHaproxy) {
      reload(runtime);
      runtime = runtime + ": reloaded HAProxy";
    }
    applied.put(master.cluster(), master);
    return "runtime API " + runtimeMillis + " ms: " + runtime + "; " + file;
  }

  /** Points the server at {@code target} unless it is there already; says what it did. */
  private String converge(HaproxyClusterConfig cluster, Endpoint target) throws IOException {
    RuntimeApi.ServerState state = api.serverState(cluster.backendName(), cluster.serverName());
    Endpoint current = new Endpoint(state.address(), state.port());
    if (current.equals(target)) {
      if (state.takesTraffic()) {
        return "server " + cluster.backendName() + "/" + cluster.serverName()
            + " already there";
      }
      api.ready(cluster.backendName(), cluster.serverName());
      return "server set ready";
    }
    api.moveServer(cluster.backendName(), cluster.serverName(), target.address(), target.port());
    return "moved from " + current + ", its sessions shut down";
  }

  @Override
  public void reconcile(ApplyContext context) {
    for (Map.Entry<String, MasterRecord> entry : applied.entrySet()) {
      HaproxyClusterConfig cluster = clusters.get(entry.getKey());
      MasterRecord master = entry.getValue();
      try {
        String done = converge(cluster, new Endpoint(resolve(master.host()), master.port()));
        socketBack();
        if (!done.endsWith("already there")) {
          log.info("subscriber=haproxy cluster={} epoch={} node={} {}:{} re-applied (HAProxy"
                  + " restarted or was changed by hand): {}", master.cluster(), master.epoch(),
              master.node(), master.host(), master.port(), done);
        }
      } catch (IOException e) {
        if (!(e instanceof RuntimeApi.MissingServerException
            || e instanceof RuntimeApi.RefusedException)) {
          socketDown(e);
          return;
        }
        log.warn("subscriber=haproxy cluster={}: cannot re-apply epoch {}: {}", master.cluster(),
            master.epoch(), Printable.escape(e.getMessage()));
      }
    }
  }

  private void socketDown(IOException e) {
    if (!socketDown) {
      socketDown = true;
      log.warn("HAProxy admin socket {} unavailable ({}); re-applying when it is back",
          api.socket(), e.toString());
    }
  }

  private void socketBack() {
    if (socketDown) {
      socketDown = false;
      log.info("HAProxy admin socket {} is back", api.socket());
    }
  }

  private boolean writeConfig(Map<String, MasterRecord> masters) throws IOException {
    Map<String, MasterRecord> served = masters.entrySet().stream()
        .filter(e -> clusters.containsKey(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    String content = BackendsFile.render(new ArrayList<>(clusters.values()), served,
        settings.serverOptions());
    return AtomicFiles.replace(settings.configFile(), content, this::check);
  }

  private void check(Path candidate) throws IOException {
    List<String> command = new ArrayList<>(List.of(settings.binary().toString(), "-c", "-q"));
    for (Path other : settings.validateWith()) {
      command.addAll(List.of("-f", other.toString()));
    }
    command.addAll(List.of("-f", candidate.toString()));
    Run.Result result = Run.of(command).timeout(CHECK_TIMEOUT).run();
    if (!result.succeeded()) {
      throw new IOException("haproxy -c rejected the new " + settings.configFile() + " (kept the"
          + " old one): " + result.describe());
    }
  }

  private void reload(String why) throws IOException {
    if (settings.reloadCommand().isEmpty()) {
      throw new IOException(why + "; the running HAProxy does not load " + settings.configFile()
          + ": add it with -f and restart HAProxy, or set baton.haproxy.reload-command");
    }
    Run.Result result = Run.of(settings.reloadCommand()).timeout(CHECK_TIMEOUT).run();
    if (!result.succeeded()) {
      throw new IOException("reload command failed: " + result.describe());
    }
  }

  private static String resolve(String host) throws IOException {
    return InetAddress.getByName(host).getHostAddress();
  }
}
