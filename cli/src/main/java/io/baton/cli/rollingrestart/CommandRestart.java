package io.baton.cli.rollingrestart;

import io.baton.events.Hosts;
import io.baton.events.Names;
import io.baton.events.Printable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The operator's own hook, e.g. install new PostgreSQL minor binaries and restart the node. Run
 * as given (argv, no shell), with the node in its environment; its output is shown prefixed with
 * the node's name, one line of output per line shown (control characters escaped). It must return
 * once the node has been restarted: its exit status 0 is taken as proof of the restart.
 */
public final class CommandRestart implements RestartHook {
  private final List<String> command;
  private final PrintStream out;

  public CommandRestart(List<String> command, PrintStream out) {
    this.command = List.copyOf(command);
    this.out = out;
  }

  /**
   * What the command finds in its environment. The values come from a heartbeat, and such
   * commands are often shell scripts: each is checked to be what its variable promises (names, a
   * host, a port, an http(s) URL), whatever the codec already did.
   *
   * @throws IllegalArgumentException when one is not
   */
  static Map<String, String> environment(RestartTarget target) {
    Hosts.withPort(target.host(), target.port());
    target.agentUrl().ifPresent(AgentUrl::require);
    return Map.of(
        "BATON_CLUSTER", Names.require("cluster", target.cluster()),
        "BATON_NODE", Names.require("node", target.node()),
        "BATON_HOST", target.host(),
        "BATON_PORT", Integer.toString(target.port()),
        "BATON_AGENT_URL", target.agentUrl().orElse(""));
  }

  @Override
  public String describe(RestartTarget target) {
    return "running " + String.join(" ", command);
  }

  @Override
  public Running start(RestartTarget target) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Process process;
    try {
      builder.environment().putAll(environment(target));
      process = builder.start();
    } catch (IllegalArgumentException e) {
      return notStarted("not running " + command.get(0) + ": " + e.getMessage());
    } catch (IOException e) {
      return notStarted("cannot run " + command.get(0) + ": " + e.getMessage());
    }
    Thread pump = new Thread(() -> copyOutput(process, target.node()), "baton-restart-" + target.node());
    pump.setDaemon(true);
    pump.start();
    return new Running() {
      @Override
      public Optional<Outcome> outcome() {
        if (process.isAlive()) {
          return Optional.empty();
        }
        joinQuietly(pump);
        int status = process.exitValue();
        return Optional.of(status == 0
            ? new Outcome(true, true, "the restart command exited 0")
            : new Outcome(false, false, "the restart command exited with status " + status));
      }

      @Override
      public void cancel() {
        process.destroy();
        try {
          if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        } catch (InterruptedException e) {
          process.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  private static Running notStarted(String why) {
    Outcome failed = new Outcome(false, false, why);
    return new Running() {
      @Override
      public Optional<Outcome> outcome() {
        return Optional.of(failed);
      }

      @Override
      public void cancel() {
        // Nothing was started.
      }
    };
  }

  private void copyOutput(Process process, String node) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        out.println("           " + node + "| " + Printable.escape(line));
      }
    } catch (IOException e) {
      out.println("           " + node + "| (output lost: " + e.getMessage() + ")");
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
