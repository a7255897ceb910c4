package io.baton.benchmark.campaign.fault;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Faults of one node: its processes killed or frozen, its network cut, its agent locked out. */
public final class NodeFaults {
  /** How long a killed agent's JVM may take to be gone before it is started again. */
  private static final Duration AGENT_EXIT = Duration.ofSeconds(10);
  /** How long the agent gets to start a new watchdog after its watchdog was killed. */
  private static final Duration WATCHDOG_RESTART = Duration.ofSeconds(5);

  private NodeFaults() {}

  /** SIGKILL of the postmaster and its children; the agent lives and deals with it. */
  public record PostmasterKill(Victim victim) implements Fault {
    @Override
    public String kind() {
      return "postmaster-kill";
    }

    @Override
    public String describe() {
      return "SIGKILL of " + victim.description() + "'s postmaster and its children";
    }

    @Override
    public Injected inject(FaultContext context) {
      String node = context.node(victim);
      List<ProcessHandle> tree = context.processes(node).postgresTree();
      String done = tree.isEmpty() ? "no postmaster running on " + node
          : node + ": " + NodeProcesses.kill(tree);
      return new Injected(done, () -> "nothing to undo: " + node + "'s agent restarts PostgreSQL");
    }
  }

  /** SIGKILL of the agent alone (an OOM kill); started again at the heal. */
  public record AgentKill(Victim victim) implements Fault {
    @Override
    public String kind() {
      return "agent-kill";
    }

    @Override
    public String describe() {
      return "SIGKILL of " + victim.description() + "'s agent, restarted at the heal";
    }

    @Override
    public Injected inject(FaultContext context) {
      String node = context.node(victim);
      long killed = context.lab().agent(node).pid();
      String done = context.processes(node).agent()
          .map(agent -> node + ": " + NodeProcesses.kill(List.of(agent)))
          .orElse("no agent running on " + node);
      return new Injected(done, () -> restartAgent(context, node, killed));
    }
  }

  /**
   * SIGKILL of the agent's watchdog. The agent has to notice and start another: the heal checks
   * that it did, notes it when not, and then restarts the agent so the node has its backstop
   * again for the rest of the campaign.
   */
  public record WatchdogKill(Victim victim) implements Fault {
    @Override
    public String kind() {
      return "watchdog-kill";
    }

    @Override
    public String describe() {
      return "SIGKILL of " + victim.description() + "'s watchdog process";
    }

    @Override
    public Injected inject(FaultContext context) {
      String node = context.node(victim);
      Optional<ProcessHandle> watchdog = context.processes(node).watchdog();
      String done = watchdog.map(w -> node + ": " + NodeProcesses.kill(List.of(w)))
          .orElse("no watchdog running on " + node);
      return new Injected(done, () -> {
        long deadline = System.nanoTime() + WATCHDOG_RESTART.toNanos();
        while (System.nanoTime() - deadline < 0) {
          Optional<ProcessHandle> now = context.processes(node).watchdog();
          if (now.isPresent() && !now.equals(watchdog)) {
            return node + "'s agent started a new watchdog (pid " + now.get().pid() + ")";
          }
          sleep(Duration.ofMillis(200));
        }
        context.note(node + "'s agent did not start a new watchdog within "
            + WATCHDOG_RESTART.toSeconds() + " s of its watchdog's death");
        long agent = context.lab().agent(node).pid();
        context.processes(node).agent().ifPresent(a -> NodeProcesses.kill(List.of(a)));
        return "no new watchdog on " + node + ": " + restartAgent(context, node, agent);
      });
    }
  }

  /** The whole node dies at once: agent, watchdog, postmaster and every PostgreSQL process. */
  public record NodeKill(Victim victim) implements Fault {
    @Override
    public String kind() {
      return "node-kill";
    }

    @Override
    public String describe() {
      return "SIGKILL of all of " + victim.description() + "'s processes at once (a dead"
          + " machine), its agent restarted at the heal";
    }

    @Override
    public Injected inject(FaultContext context) {
      String node = context.node(victim);
      long killed = context.lab().agent(node).pid();
      List<ProcessHandle> all = context.processes(node).all();
      String done = all.isEmpty() ? "nothing running on " + node
          : node + ": " + NodeProcesses.kill(all);
      return new Injected(done, () -> restartAgent(context, node, killed));
    }
  }

  /** SIGSTOP of the postmaster and every PostgreSQL process under it; SIGCONT at the heal. */
  public record PostmasterPause(Victim victim) implements Fault {
    @Override
    public String kind() {
      return "postmaster-pause";
    }

    @Override
    public String describe() {
      return "SIGSTOP of " + victim.description() + "'s postmaster and its children";
    }

    @Override
    public Injected inject(FaultContext context) {
      String node = context.node(victim);
      return pause(node, context.processes(node).postgresTree(), "no postmaster running");
    }
  }

  /** SIGSTOP of the agent JVM alone (a hung agent); its watchdog keeps running. */
  public record AgentPause(Victim victim) implements Fault {
    @Override
    public String kind() {
      return "agent-pause";
    }

    @Override
    public String describe() {
      return "SIGSTOP of " + victim.description() + "'s agent";
    }

    @Override
    public Injected inject(FaultContext context) {
      String node = context.node(victim);
      return pause(node, context.processes(node).agent().stream().toList(), "no agent running");
    }
  }

  /** A paused machine: agent, watchdog, postmaster and children stopped together. */
  public record NodePause(Victim victim) implements Fault {
    @Override
    public String kind() {
      return "node-pause";
    }

    @Override
    public String describe() {
      return "SIGSTOP of all of " + victim.description() + "'s processes (a paused machine)";
    }

    @Override
    public Injected inject(FaultContext context) {
      String node = context.node(victim);
      return pause(node, context.processes(node).all(), "nothing running");
    }
  }

  /** The node's namespace loses its link: cut from Kafka, the other nodes and the clients. */
  public record NetworkCut(Victim victim) implements Fault {
    @Override
    public String kind() {
      return "network-cut";
    }

    @Override
    public String describe() {
      return "network cut of " + victim.description();
    }

    @Override
    public Injected inject(FaultContext context) {
      String node = context.node(victim);
      var namespace = context.namespace(node);
      context.lab().network().orElseThrow().cut(namespace);
      return new Injected(node + " cut off (" + namespace.name() + ")", () -> {
        context.lab().network().orElseThrow().heal(namespace);
        return node + "'s link is up again";
      });
    }
  }

  /**
   * The agent can no longer log in to its PostgreSQL: its role set NOLOGIN (on the primary, the
   * only node where a role can change; it replicates to the standbys, whose agents keep the
   * sessions they have) and the victim's agent sessions terminated, through a superuser session.
   * The role may log in again at the heal, set on whichever node is writable then.
   */
  public record AgentLoginDenied(Victim victim) implements Fault {
    @Override
    public String kind() {
      return "agent-login-denied";
    }

    @Override
    public String describe() {
      return "the agent role NOLOGIN and " + victim.description() + "'s agent sessions ended";
    }

    @Override
    public Injected inject(FaultContext context) throws SQLException {
      String node = context.node(victim);
      String role = context.lab().postgres().agentCredentials().user();
      List<String> writable = context.writableNodes();
      if (writable.isEmpty()) {
        return new Injected("no writable node to change the role on: nothing done",
            () -> "nothing to undo");
      }
      execute(context, writable.get(0), "ALTER ROLE " + role + " NOLOGIN");
      awaitReplicated(context, node, role);
      int ended = execute(context, node, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
          + " WHERE usename = '" + role + "' AND backend_type = 'client backend'");
      return new Injected(role + " NOLOGIN on " + writable.get(0) + ", " + ended + " of "
          + node + "'s agent sessions ended", () -> allowLogin(context, role));
    }

    private static void awaitReplicated(FaultContext context, String node, String role)
        throws SQLException {
      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() - deadline < 0) {
        if (execute(context, node, "SELECT 1 FROM pg_roles WHERE rolname = '" + role
            + "' AND NOT rolcanlogin") > 0) {
          return;
        }
        sleep(Duration.ofMillis(50));
      }
      context.log(node + " did not show the role NOLOGIN within 3 s: ending its sessions anyway");
    }

    private static String allowLogin(FaultContext context, String role) throws SQLException {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() - deadline < 0) {
        for (String node : context.writableNodes()) {
          try {
            execute(context, node, "ALTER ROLE " + role + " LOGIN");
            return role + " LOGIN again, set on " + node;
          } catch (SQLException fencedMeanwhile) {
            context.log("could not let " + role + " log in on " + node + " ("
                + fencedMeanwhile.getMessage() + "): trying again");
          }
        }
        sleep(Duration.ofMillis(500));
      }
      context.note("could not let " + role + " log in again: no writable node for 60 s");
      return "no writable node to let " + role + " log in again on";
    }

    /** Runs a statement; for a query, returns its row count, else the update count. */
    private static int execute(FaultContext context, String node, String sql)
        throws SQLException {
      Connection c = context.superuser(node).orElseThrow(
          () -> new SQLException(node + " does not answer"));
      try (c; Statement s = c.createStatement()) {
        if (!s.execute(sql)) {
          return s.getUpdateCount();
        }
        int rows = 0;
        try (ResultSet rs = s.getResultSet()) {
          while (rs.next()) {
            rows++;
          }
        }
        return rows;
      }
    }
  }

  private static Fault.Injected pause(String node, List<ProcessHandle> processes,
      String nothing) {
    if (processes.isEmpty()) {
      return new Fault.Injected(nothing + " on " + node, () -> "nothing to undo");
    }
    String done = node + ": " + NodeProcesses.stop(processes);
    return new Fault.Injected(done, () -> node + ": " + NodeProcesses.resume(processes));
  }

  /**
   * Starts the node's agent again, unless another fault's heal of the same step already did
   * (the agent is no longer the process {@code killed}).
   */
  private static String restartAgent(FaultContext context, String node, long killed) {
    if (context.lab().agent(node).pid() != killed) {
      return node + "'s agent already started again";
    }
    if (context.lab().agent(node).waitFor(AGENT_EXIT).isEmpty()) {
      return node + "'s agent (pid " + killed + ") still runs: not starting another";
    }
    context.lab().startAgent(node);
    return node + "'s agent started again (pid " + context.lab().agent(node).pid() + ")";
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
