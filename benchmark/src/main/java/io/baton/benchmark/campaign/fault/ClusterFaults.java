package io.baton.benchmark.campaign.fault;

import io.baton.events.ReplicationMode;
import io.baton.events.RequestedAction;
import io.baton.testkit.process.Signal;
import java.time.Duration;
import java.util.Optional;

/** Faults of the cluster as a whole: its coordinator killed, operations asked mid-fault. */
public final class ClusterFaults {
  private ClusterFaults() {}

  /** SIGKILL of the coordinator; started again (from its state store) at the heal. */
  public record CoordinatorKill() implements Fault {
    @Override
    public String kind() {
      return "coordinator-kill";
    }

    @Override
    public String describe() {
      return "SIGKILL of the coordinator, restarted at the heal";
    }

    @Override
    public Injected inject(FaultContext context) {
      var coordinator = context.lab().coordinator();
      coordinator.signal(Signal.KILL);
      coordinator.waitFor(Duration.ofSeconds(10));
      return new Injected("coordinator (pid " + coordinator.pid() + ") killed", () -> {
        if (context.lab().coordinator().isAlive()) {
          return "the coordinator already runs again";
        }
        context.lab().startCoordinator();
        return "coordinator started again (pid " + context.lab().coordinator().pid() + ")";
      });
    }
  }

  /**
   * A switchover requested as the CLI requests it, to a chosen standby or to the coordinator's
   * choice. Whatever the answer (completed, refused, aborted), the invariants must hold.
   */
  public record SwitchoverRequest(Optional<Victim> target) implements Fault {
    @Override
    public String kind() {
      return "switchover";
    }

    @Override
    public String describe() {
      return "switchover requested to "
          + target.map(Victim::description).orElse("the coordinator's choice");
    }

    @Override
    public Injected inject(FaultContext context) {
      Optional<String> to = target.map(context::node);
      context.request("switchover to " + to.orElse("any standby"),
          new RequestedAction.Switchover(Optional.empty(), to));
      return new Injected("switchover to " + to.orElse("any standby") + " requested",
          () -> "nothing to undo: the campaign awaits the answer");
    }
  }

  /**
   * The replication mode changed to the other one (async to sync, sync to async) and back at
   * the heal. While it is not synchronous, synchronous mode's promise is off.
   */
  public record ReplicationModeChange() implements Fault {
    @Override
    public String kind() {
      return "replication-mode-change";
    }

    @Override
    public String describe() {
      return "replication mode changed, restored at the heal";
    }

    @Override
    public Injected inject(FaultContext context) {
      ReplicationMode campaign = context.mode();
      ReplicationMode other =
          campaign == ReplicationMode.ASYNC ? ReplicationMode.SYNC : ReplicationMode.ASYNC;
      context.suspendZeroLoss();
      context.request("replication mode " + other.wire(),
          new RequestedAction.SetReplicationMode(other));
      return new Injected("replication mode " + other.wire() + " requested", () -> {
        context.request("replication mode " + campaign.wire() + " again",
            new RequestedAction.SetReplicationMode(campaign));
        if (campaign != ReplicationMode.ASYNC) {
          context.afterRequests("synchronous mode's promise",
              context::resumeZeroLossOnceSynchronous);
        }
        return "replication mode " + campaign.wire() + " requested again";
      });
    }
  }

  /** Maintenance mode on (no failover, no switchover), off again at the heal. */
  public record MaintenanceWindow() implements Fault {
    @Override
    public String kind() {
      return "maintenance";
    }

    @Override
    public String describe() {
      return "maintenance mode on, off at the heal";
    }

    @Override
    public Injected inject(FaultContext context) {
      context.request("maintenance on", new RequestedAction.SetMaintenance(true));
      return new Injected("maintenance on requested", () -> {
        context.request("maintenance off", new RequestedAction.SetMaintenance(false));
        return "maintenance off requested";
      });
    }
  }
}
