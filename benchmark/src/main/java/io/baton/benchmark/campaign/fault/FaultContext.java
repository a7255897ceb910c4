package io.baton.benchmark.campaign.fault;

import io.baton.events.MasterRecord;
import io.baton.events.ReplicationMode;
import io.baton.events.RequestedAction;
import io.baton.lab.Lab;
import io.baton.testkit.netns.Namespace;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * What a fault may touch: the lab and its processes, SQL on a node, operator requests, and the
 * campaign's log. The campaign implements it; faults hold no state of their own beyond what
 * {@link Fault.Injected} keeps for the undo.
 */
public interface FaultContext {
  Lab lab();

  /** The node that plays this role now: the newest master record's node, or its standbys. */
  String node(Victim victim);

  NodeProcesses processes(String node);

  Namespace namespace(String node);

  /**
   * A superuser connection to a node with short timeouts (a frozen node must not hold the
   * campaign for long); empty when it does not answer.
   */
  Optional<Connection> superuser(String node);

  /** The nodes that answer {@code pg_is_in_recovery() = false}, the master record's first. */
  List<String> writableNodes() throws SQLException;

  Optional<MasterRecord> master();

  /**
   * Sends an operator request as the CLI does, in the background and in order with the others
   * (the coordinator may be down: its answer may take a while); the campaign waits for every
   * answer before it checks convergence.
   */
  void request(String why, RequestedAction action);

  /**
   * Runs a task in order after the requests sent so far, e.g. one that must see the request's
   * answer first.
   */
  void afterRequests(String why, Runnable task);

  /** The replication mode the campaign runs in. */
  ReplicationMode mode();

  /** Synchronous mode's promise is off from now on (the mode is being changed). */
  void suspendZeroLoss();

  /** Synchronous mode's promise is on again, once a synchronous standby is confirmed. */
  void resumeZeroLossOnceSynchronous();

  /** A line in the campaign's log. */
  void log(String line);

  /** Something noticed that breaks no invariant but a reader should know. */
  void note(String finding);
}
