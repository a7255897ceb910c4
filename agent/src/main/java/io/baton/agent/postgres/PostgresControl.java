package io.baton.agent.postgres;

import io.baton.events.DataDirectoryStatus;
import io.baton.events.PostgresStatus;
import io.baton.events.Upstream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything the agent does to its PostgreSQL, behind one small interface so that the agent's
 * logic is tested without a database. One implementation drives a real local PostgreSQL ({@link
 * LocalPostgres}); the supervisor's tests drive a model of it.
 *
 * <p>Methods other than {@link #observe()} and {@link #postmasterPid()} may take seconds and throw
 * {@link PostgresException} with a message for the events topic; the caller retries on a later
 * tick. None of them may be called concurrently except {@link #fence()}, which must work at any
 * moment, from any thread, without waiting for anything.
 */
public interface PostgresControl {

  /** What PostgreSQL looks like now. Never throws: an unreachable server is an observation. */
  PostgresStatus observe();

  /** The running postmaster's process id, if one runs for this data directory. */
  OptionalLong postmasterPid();

  /**
   * Whether PostgreSQL may accept writes now, or soon without the agent doing anything: a live
   * postmaster on a data directory without {@code standby.signal}. A server starting, in crash
   * recovery, or one the agent cannot log in to counts: not being able to look is no proof. Cheap
   * and callable from any thread at any moment: the lease guard asks every few milliseconds.
   */
  boolean possiblyWritable();

  /**
   * Starts PostgreSQL and returns once it accepts connections. As a primary: no {@code
   * standby.signal}, with the given {@code synchronous_standby_names}. As a standby: with {@code
   * standby.signal} and, when an upstream is given, {@code primary_conninfo} pointing at it.
   */
  void start(StartAs mode) throws PostgresException;

  /**
   * Stops cleanly (a fast shutdown: sessions are ended, a shutdown checkpoint written, and every
   * connected standby receives all of it before the postmaster exits); escalates to {@link
   * #fence()} if that takes longer than the configured stop timeout.
   */
  void stopCleanly() throws PostgresException;

  /**
   * Stops PostgreSQL accepting writes at once (immediate shutdown, then SIGKILL of whatever is
   * left). Safe to call from any thread at any time, also while another action runs.
   */
  void fence();

  /**
   * Promotes a running standby to a timeline above {@code timelineAbove} (0: just the next one) and
   * returns once it accepts writes.
   */
  void promote(long timelineAbove) throws PostgresException;

  /** Points a running standby at another upstream, without a restart. */
  void follow(Upstream upstream) throws PostgresException;

  /** Sets {@code synchronous_standby_names} on a running primary, without a restart. */
  void setSynchronousStandbyNames(String value) throws PostgresException;

  /**
   * Makes a stopped data directory a standby of {@code source}: a checkpoint on the source (so
   * pg_rewind sees its new timeline), then pg_rewind when the histories diverged, then {@code
   * standby.signal} and {@code primary_conninfo}. Leaves PostgreSQL stopped.
   */
  void rewind(Upstream source) throws PostgresException;

  /** What {@code pg_controldata} says; empty when the data directory cannot be read. */
  Optional<DataDirectoryStatus> controlData();

  /** Whether a PostgreSQL server answers at this address (for deciding whether a rewind can work). */
  boolean reachable(Upstream upstream);

  /** How to start. */
  sealed interface StartAs {
    record Primary(String synchronousStandbyNames) implements StartAs {}

    record Standby(Optional<Upstream> upstream) implements StartAs {}
  }
}
