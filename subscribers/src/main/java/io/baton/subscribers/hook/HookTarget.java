package io.baton.subscribers.hook;

import io.baton.client.MasterChange;
import io.baton.events.EventCodec;
import io.baton.events.Hosts;
import io.baton.events.MasterRecord;
import io.baton.events.Names;
import io.baton.events.Printable;
import io.baton.subscribers.follow.ApplyContext;
import io.baton.subscribers.follow.ApplyFailedException;
import io.baton.subscribers.follow.Target;
import io.baton.subscribers.process.Run;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a configured command when a cluster's primary changes: argv without a shell, the record in
 * {@code BATON_*} environment variables and as JSON on standard input, a time limit after which
 * the command and its children are killed, and retries with doubling backoff. The command gets
 * only PATH, HOME, LANG and TZ of the subscriber's environment besides the {@code BATON_*}
 * variables, so secrets given to the subscriber do not leak into it.
 *
 * <p><b>At most once per epoch, across restarts.</b> Before the command first starts, "started
 * epoch E" is written atomically to the cluster's state file; an epoch not newer than the one in
 * that file is never run again, whatever its outcome was. If the subscriber dies while the
 * command runs, the restarted subscriber does not know whether the command did its work, and
 * does not run it again (it logs that at warn, so an operator can run it by hand). That makes the
 * hook at-most-once per epoch across restarts. Within one life of the subscriber a failed run is
 * retried up to {@code retries} times, so the command must tolerate running again after a partial
 * failure or a timeout; retries stop early when a newer epoch of the cluster arrives, since a hook
 * for a master that is no longer current is pointless. At-most-once is chosen because hooks
 * typically page people or re-point things, and repeating one for an old epoch after a restart
 * could undo a newer change; a missed hook is visible (the state file and the log say so).
 */
final class HookTarget implements Target {
  private static final Logger log = LoggerFactory.getLogger(HookTarget.class);

  private final HookConfig settings;
  private final HookState state;

  HookTarget(HookConfig settings) {
    this.settings = settings;
    this.state = new HookState(settings.stateDirectory());
  }

  @Override
  public String name() {
    return "hook";
  }

  @Override
  public Set<String> clusters() {
    return new LinkedHashSet<>(settings.clusters());
  }

  @Override
  public String apply(MasterChange change, ApplyContext context) throws Exception {
    MasterRecord master = change.current();
    Optional<HookState.Run> last = state.last(master.cluster());
    if (last.isPresent() && last.get().epoch() >= master.epoch()) {
      HookState.Run done = last.get();
      if (done.status() == HookState.Status.STARTED && done.epoch() == master.epoch()) {
        log.warn("subscriber=hook cluster={} epoch={}: the hook was started before a restart and"
            + " never finished; not run again (at most once per epoch)", master.cluster(),
            master.epoch());
      }
      return "not run: epoch " + done.epoch() + " already " + done.status().name().toLowerCase(
          java.util.Locale.ROOT);
    }
    String previousNode = change.previous().map(MasterRecord::node)
        .or(() -> last.map(HookState.Run::node)).orElse("");
    state.save(new HookState.Run(master.cluster(), master.epoch(), master.node(),
        HookState.Status.STARTED, 0, Instant.now()));

    Duration backoff = settings.retryBackoff();
    int attempts = 0;
    Run.Result result = null;
    while (attempts <= settings.retries()) {
      if (attempts > 0) {
        log.warn("subscriber=hook cluster={} epoch={}: run {} failed ({}); retrying in {} ms",
            master.cluster(), master.epoch(), attempts, result.describe(), backoff.toMillis());
        if (!context.sleep(backoff)) {
          break;
        }
        backoff = backoff.multipliedBy(2);
        if (context.superseded(master.cluster())) {
          log.info("subscriber=hook cluster={} epoch={}: a newer epoch arrived, no more retries",
              master.cluster(), master.epoch());
          break;
        }
      }
      attempts++;
      result = Run.of(settings.command()).withoutInheritedEnvironment()
          .env(environment(master, previousNode)).stdin(EventCodec.write(master))
          .timeout(settings.timeout()).run();
      if (result.succeeded()) {
        state.save(new HookState.Run(master.cluster(), master.epoch(), master.node(),
            HookState.Status.SUCCEEDED, attempts, Instant.now()));
        return "hook " + result.describe() + (attempts > 1 ? " (run " + attempts + ")" : "");
      }
    }
    state.save(new HookState.Run(master.cluster(), master.epoch(), master.node(),
        HookState.Status.FAILED, attempts, Instant.now()));
    throw new ApplyFailedException("hook failed " + attempts + " time(s), last: "
        + (result == null ? "never ran" : result.describe()));
  }

  /**
   * The {@code BATON_*} variables. Hooks are often shell scripts, so every value is one a script
   * can use unquoted without surprise: names, a host, numbers, checked here whatever record or
   * state file they came from; the free-text reason with its control characters escaped, on one
   * line.
   *
   * @param previousNode a node name, or empty when unknown
   * @throws IllegalArgumentException when a value is not what its variable promises
   */
  static Map<String, String> environment(MasterRecord master, String previousNode) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("BATON_CLUSTER", Names.require("cluster", master.cluster()));
    env.put("BATON_EPOCH", Long.toString(master.epoch()));
    env.put("BATON_NODE", Names.require("node", master.node()));
    env.put("BATON_HOST", Hosts.require("host", master.host()));
    env.put("BATON_PORT", Integer.toString(master.port()));
    env.put("BATON_TIMELINE", Long.toString(master.timeline()));
    env.put("BATON_REASON", Printable.escape(master.reason()));
    env.put("BATON_PREVIOUS_NODE",
        previousNode.isEmpty() ? "" : Names.require("previous node", previousNode));
    return env;
  }
}
