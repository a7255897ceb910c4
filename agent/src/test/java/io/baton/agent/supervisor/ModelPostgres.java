package io.baton.agent.supervisor;

import io.baton.agent.postgres.PostgresControl;
import io.baton.agent.postgres.PostgresException;
import io.baton.events.DataDirectoryStatus;
import io.baton.events.Health;
import io.baton.events.Lsn;
import io.baton.events.PostgresStatus;
import io.baton.events.ReceiverStatus;
import io.baton.events.Role;
import io.baton.events.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A model of one PostgreSQL node, changed by the agent's actions as the real one would be, with
 * the faults the issue names: a login that fails, a crash, a fence by someone else.
 */
final class ModelPostgres implements PostgresControl {
  enum State { RUNNING, STOPPED }

  State state = State.STOPPED;
  boolean standbySignal;
  boolean cleanlyStopped = true;
  boolean loginFails;
  String synchronousStandbyNames = "";
  Optional<Upstream> upstream = Optional.empty();
  Lsn position = Lsn.parse("0/3000000");
  long pid = 1000;
  final List<String> actions = new ArrayList<>();
  /** How many times the agent looked: a test can tell which observation came after what. */
  int observations;
  /**
   * The WAL receiver cannot follow its upstream onto a new timeline (its WAL went past the fork):
   * it streams the old timeline to its end, waits, and starts again, so a look finds it streaming
   * every other time.
   */
  boolean receiverStuckAtATimelineEnd;

  static ModelPostgres runningPrimary() {
    ModelPostgres model = new ModelPostgres();
    model.state = State.RUNNING;
    model.cleanlyStopped = false;
    return model;
  }

  static ModelPostgres stoppedPrimary() {
    return new ModelPostgres();
  }

  /** PostgreSQL crashed (or someone else killed it): the data directory needs crash recovery. */
  void crash() {
    state = State.STOPPED;
    cleanlyStopped = false;
  }

  @Override
  public PostgresStatus observe() {
    observations++;
    if (state == State.STOPPED) {
      return PostgresStatus.unobserved(Health.DOWN, "127.0.0.1", 5432, "not running")
          .withDataDirectory(
              new DataDirectoryStatus(
                  standbySignal
                      ? (cleanlyStopped ? "shut down in recovery" : "in archive recovery")
                      : (cleanlyStopped ? "shut down" : "in production"),
                  position, 1, "7", standbySignal));
    }
    if (loginFails) {
      return PostgresStatus.unobserved(
          Health.UNREACHABLE, "127.0.0.1", 5432, "FATAL: role \"baton_agent\" is not permitted to log in");
    }
    if (!standbySignal) {
      return new PostgresStatus(
          Health.UP, Role.PRIMARY, "127.0.0.1", 5432, OptionalLong.of(1), Optional.of(position),
          Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
          Optional.of(synchronousStandbyNames), Optional.of("15.18"), Optional.of("7"),
          Optional.empty(), Optional.empty());
    }
    String receiverState =
        receiverStuckAtATimelineEnd && observations % 2 == 0 ? "waiting" : "streaming";
    Optional<ReceiverStatus> receiver = upstream.map(u -> new ReceiverStatus(
        receiverState, Optional.of(u.host()), OptionalInt.of(u.port()), OptionalLong.of(1)));
    return new PostgresStatus(
        Health.UP, Role.STANDBY, "127.0.0.1", 5432, OptionalLong.of(1), Optional.empty(),
        Optional.of(position), Optional.of(position), receiver, List.of(), Optional.empty(),
        Optional.of("15.18"), Optional.of("7"), Optional.empty(), Optional.empty());
  }

  @Override
  public OptionalLong postmasterPid() {
    return state == State.RUNNING ? OptionalLong.of(pid) : OptionalLong.empty();
  }

  @Override
  public boolean possiblyWritable() {
    return state == State.RUNNING && !standbySignal;
  }

  @Override
  public void start(StartAs mode) {
    actions.add("start " + (mode instanceof StartAs.Primary ? "primary" : "standby"));
    standbySignal = mode instanceof StartAs.Standby;
    if (mode instanceof StartAs.Standby standby) {
      upstream = standby.upstream().or(() -> upstream);
    } else {
      synchronousStandbyNames = ((StartAs.Primary) mode).synchronousStandbyNames();
    }
    state = State.RUNNING;
    cleanlyStopped = false;
    pid++;
  }

  @Override
  public void stopCleanly() {
    actions.add("stop");
    if (state == State.RUNNING) {
      state = State.STOPPED;
      cleanlyStopped = true;
      position = Lsn.parse("0/3000100");
    }
  }

  @Override
  public void fence() {
    actions.add("fence");
    if (state == State.RUNNING) {
      crash();
    }
  }

  @Override
  public void promote(long timelineAbove) throws PostgresException {
    actions.add(timelineAbove > 0 ? "promote above timeline " + timelineAbove : "promote");
    if (state != State.RUNNING || !standbySignal) {
      throw new PostgresException("not a running standby");
    }
    standbySignal = false;
    upstream = Optional.empty();
  }

  @Override
  public void follow(Upstream next) {
    actions.add("follow " + next.node());
    upstream = Optional.of(next);
  }

  @Override
  public void setSynchronousStandbyNames(String value) {
    actions.add("synchronous_standby_names " + value);
    synchronousStandbyNames = value;
  }

  @Override
  public void rewind(Upstream source) {
    actions.add("rewind from " + source.node());
    standbySignal = true;
    upstream = Optional.of(source);
  }

  @Override
  public Optional<DataDirectoryStatus> controlData() {
    return observe().dataDirectory();
  }

  @Override
  public boolean reachable(Upstream candidate) {
    return true;
  }
}
