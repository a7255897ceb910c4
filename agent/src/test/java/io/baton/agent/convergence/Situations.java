package io.baton.agent.convergence;

import io.baton.events.Assignment;
import io.baton.events.DataDirectoryStatus;
import io.baton.events.Goal;
import io.baton.events.Health;
import io.baton.events.Lsn;
import io.baton.events.PostgresStatus;
import io.baton.events.ReceiverStatus;
import io.baton.events.Role;
import io.baton.events.Upstream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Builds situations: {@code situation().goal(primary()).postgres(runningPrimary())...}. */
final class Situations {
  static final Upstream N2 = new Upstream("n2", "127.0.0.1", 5432);
  static final Situation.Timings TIMINGS =
      new Situation.Timings(Duration.ofSeconds(10), Duration.ofSeconds(10));

  private Optional<Assignment> assignment = Optional.empty();
  private PostgresStatus postgres = stopped("shut down", false);
  private boolean leaseValid = true;
  private OptionalLong relinquished = OptionalLong.empty();
  private OptionalLong lastPrimary = OptionalLong.empty();
  private OptionalLong fencedGeneration = OptionalLong.empty();
  private Optional<Boolean> possiblyWritable = Optional.empty();
  private boolean stoppedByAgent;
  private boolean ranSinceAssigned;
  private Duration assignedFor = Duration.ZERO;
  private Duration notStreamingFor = Duration.ZERO;
  private boolean upstreamReachable = true;
  private Optional<Upstream> configuredUpstream = Optional.empty();

  static Situations situation() {
    return new Situations();
  }

  static Goal.Primary primary() {
    return Goal.Primary.asynchronous();
  }

  static Goal.Standby standbyOfN2() {
    return new Goal.Standby(N2);
  }

  Situations goal(Goal goal) {
    assignment =
        Optional.of(
            new Assignment("orders", "n1", 3, 7, goal, Duration.ofSeconds(5), "test", Instant.EPOCH));
    if (goal instanceof Goal.Primary) {
      lastPrimary = OptionalLong.of(7);
    }
    return this;
  }

  Situations postgres(PostgresStatus status) {
    postgres = status;
    return this;
  }

  Situations leaseExpired() {
    leaseValid = false;
    return this;
  }

  Situations relinquished(long generation) {
    relinquished = OptionalLong.of(generation);
    return this;
  }

  Situations lastPrimary(long generation) {
    lastPrimary = OptionalLong.of(generation);
    return this;
  }

  /** The lease ran out under the newest primary generation (7 unless told otherwise). */
  Situations fenced() {
    return fencedUnder(lastPrimary.orElse(7));
  }

  Situations fencedUnder(long generation) {
    fencedGeneration = OptionalLong.of(generation);
    stoppedByAgent = true;
    return this;
  }

  /** Overrides what the data directory says: a live postmaster without standby.signal or not. */
  Situations possiblyWritable(boolean writable) {
    possiblyWritable = Optional.of(writable);
    return this;
  }

  Situations stoppedByAgent() {
    stoppedByAgent = true;
    return this;
  }

  Situations ranSinceAssigned() {
    ranSinceAssigned = true;
    return this;
  }

  Situations assignedFor(Duration duration) {
    assignedFor = duration;
    return this;
  }

  Situations notStreamingFor(Duration duration, boolean reachable) {
    notStreamingFor = duration;
    upstreamReachable = reachable;
    return this;
  }

  Situations configured(Optional<Upstream> upstream) {
    configuredUpstream = upstream;
    return this;
  }

  Situation build() {
    boolean writable = possiblyWritable.orElse(postgres.isRunningPrimary());
    return new Situation(
        assignment, postgres, leaseValid, relinquished, lastPrimary, fencedGeneration, writable,
        stoppedByAgent, ranSinceAssigned, assignedFor, notStreamingFor, upstreamReachable,
        configuredUpstream, TIMINGS);
  }

  Action decide() {
    return ConvergenceTable.decide(build());
  }

  static PostgresStatus runningPrimary(String synchronousStandbyNames) {
    return new PostgresStatus(
        Health.UP, Role.PRIMARY, "127.0.0.1", 5431, OptionalLong.of(1),
        Optional.of(Lsn.parse("0/3000000")), Optional.empty(), Optional.empty(), Optional.empty(),
        List.of(), Optional.of(synchronousStandbyNames), Optional.of("15.18"), Optional.of("1"),
        Optional.empty(), Optional.empty());
  }

  static PostgresStatus runningStandby(Optional<Upstream> upstream, boolean streaming, String received) {
    Optional<ReceiverStatus> receiver =
        Optional.of(
            new ReceiverStatus(
                streaming ? "streaming" : "waiting", upstream.map(Upstream::host),
                upstream.map(u -> OptionalInt.of(u.port())).orElse(OptionalInt.empty()),
                OptionalLong.of(1)));
    return new PostgresStatus(
        Health.UP, Role.STANDBY, "127.0.0.1", 5431, OptionalLong.of(1), Optional.empty(),
        Optional.of(Lsn.parse(received)), Optional.of(Lsn.parse(received)), receiver, List.of(),
        Optional.empty(), Optional.of("15.18"), Optional.of("1"), Optional.empty(), Optional.empty());
  }

  static PostgresStatus stopped(String state, boolean standbySignal) {
    return PostgresStatus.unobserved(Health.DOWN, "127.0.0.1", 5431, "not running")
        .withDataDirectory(
            new DataDirectoryStatus(state, Lsn.parse("0/3000100"), 1, "1", standbySignal));
  }

  static PostgresStatus health(Health health) {
    return PostgresStatus.unobserved(health, "127.0.0.1", 5431, "test");
  }

  static PostgresStatus unreadable() {
    return PostgresStatus.unobserved(Health.DOWN, "127.0.0.1", 5431, "pg_controldata failed");
  }
}
