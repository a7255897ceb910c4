package io.baton.benchmark.campaign.fault;

import io.baton.lab.Lab;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.process.Processes;
import io.baton.testkit.process.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The processes of one node of a lab: its agent JVM, the agent's watchdog (a child JVM running
 * {@value #WATCHDOG_MAIN}, found by its command line), its postmaster and every PostgreSQL
 * process under it. Signals go to process lists, never to a process group: every child of the
 * lab shares the campaign JVM's group.
 */
public final class NodeProcesses {
  static final String WATCHDOG_MAIN = "io.baton.agent.fencing.WatchdogMain";

  private final Lab lab;
  private final String node;

  public NodeProcesses(Lab lab, String node) {
    this.lab = lab;
    this.node = node;
  }

  /** The agent JVM, while it runs. */
  public Optional<ProcessHandle> agent() {
    return ProcessHandle.of(lab.agent(node).pid()).filter(p -> Processes.isRunning(p.pid()));
  }

  /** The agent's watchdog process, while it runs. */
  public Optional<ProcessHandle> watchdog() {
    return agent().stream()
        .flatMap(ProcessHandle::descendants)
        .filter(p -> Processes.isRunning(p.pid()) && commandLine(p).contains(WATCHDOG_MAIN))
        .findFirst();
  }

  /** The postmaster, while it runs. */
  public Optional<ProcessHandle> postmaster() {
    PostgresNode pg = lab.postgres().node(node);
    return lab.postgres().postmasterPid(pg).flatMap(ProcessHandle::of);
  }

  /** The postmaster and every process under it (backends, WAL sender and receiver, ...). */
  public List<ProcessHandle> postgresTree() {
    return postmaster().map(NodeProcesses::tree).orElse(List.of());
  }

  /** The agent and everything under it: the watchdog, and PostgreSQL when the agent started it. */
  public List<ProcessHandle> agentTree() {
    return agent().map(NodeProcesses::tree).orElse(List.of());
  }

  /** Everything of the node: the agent's tree and PostgreSQL's, each process once. */
  public List<ProcessHandle> all() {
    Set<ProcessHandle> all = new LinkedHashSet<>(agentTree());
    all.addAll(postgresTree());
    return new ArrayList<>(all);
  }

  /** Sends a signal to all of these processes with one {@code kill}, so at the same instant. */
  public static String signal(Signal signal, List<ProcessHandle> processes) {
    Processes.send(signal, processes);
    return "SIG" + signal + " to pid " + processes.stream().map(p -> Long.toString(p.pid()))
        .collect(Collectors.joining(","));
  }

  /**
   * How many faults hold each process stopped. Faults overlap: the heal of a postmaster pause
   * inside a paused machine must not resume PostgreSQL while its agent and watchdog stay frozen,
   * which no real machine does (and which only a watchdog device could fence).
   */
  private static final Map<Long, Integer> STOPPED_BY = new HashMap<>();

  /** SIGSTOP, counted: a process runs again only once every fault that stopped it healed. */
  public static synchronized String stop(List<ProcessHandle> processes) {
    processes.forEach(p -> STOPPED_BY.merge(p.pid(), 1, Integer::sum));
    return signal(Signal.STOP, processes);
  }

  /** SIGCONT to the processes no other fault still holds stopped. */
  public static synchronized String resume(List<ProcessHandle> processes) {
    List<ProcessHandle> free = new ArrayList<>();
    List<Long> held = new ArrayList<>();
    for (ProcessHandle process : processes) {
      int holds = STOPPED_BY.merge(process.pid(), -1, Integer::sum);
      if (holds <= 0) {
        STOPPED_BY.remove(process.pid());
        free.add(process);
      } else {
        held.add(process.pid());
      }
    }
    String done = free.isEmpty() ? "nothing resumed" : signal(Signal.CONT, free);
    return held.isEmpty() ? done : done + "; still stopped by another fault: pid "
        + held.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** Freezes the processes, then kills them: none can fork or restart another meanwhile. */
  public static String kill(List<ProcessHandle> processes) {
    Processes.send(Signal.STOP, processes);
    return signal(Signal.KILL, processes);
  }

  private static List<ProcessHandle> tree(ProcessHandle root) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    return tree;
  }

  private static String commandLine(ProcessHandle process) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }
}
