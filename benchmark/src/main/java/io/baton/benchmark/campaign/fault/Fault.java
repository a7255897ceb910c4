package io.baton.benchmark.campaign.fault;

/**
 * One fault of the campaign: what it does when injected and, through the {@link Injected} it
 * returns, how it is undone. A new kind is a record implementing this interface, named in the
 * {@code permits} clause, plus one line in {@link FaultCatalog}.
 */
public sealed interface Fault
    permits NodeFaults.PostmasterKill, NodeFaults.AgentKill, NodeFaults.WatchdogKill,
        NodeFaults.NodeKill, NodeFaults.PostmasterPause, NodeFaults.AgentPause,
        NodeFaults.NodePause, NodeFaults.NetworkCut, NodeFaults.AgentLoginDenied,
        ClusterFaults.CoordinatorKill, ClusterFaults.SwitchoverRequest,
        ClusterFaults.ReplicationModeChange, ClusterFaults.MaintenanceWindow,
        BrokerFaults.BrokerPause, BrokerFaults.BrokerRestart, BrokerFaults.BrokerClockSkew {

  /** The kind's name, e.g. {@code agent-kill}: how reports count faults. */
  String kind();

  /** What it does, in the schedule's words (by role: "SIGKILL of the primary's agent"). */
  String describe();

  /** Does it, now, and says how to undo it. */
  Injected inject(FaultContext context) throws Exception;

  /** What was done, on which node, and how to undo it. */
  record Injected(String done, Undo undo) {}

  /** Heals a fault: resumes, restarts, reconnects, or asks the coordinator to undo a request. */
  @FunctionalInterface
  interface Undo {
    /** Undoes the fault; returns what was done, for the log. */
    String heal() throws Exception;
  }
}
