package io.baton.subscribers.follow;

import io.baton.client.FollowerOptions;
import io.baton.client.MasterChange;
import io.baton.client.MasterFollower;
import io.baton.client.kafka.KafkaConnection;
import io.baton.events.MasterRecord;
import io.baton.events.Printable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one subscriber: a {@link MasterFollower} with the subscriber's own consumer group, and a
 * worker thread that applies changes to the {@link Target}.
 *
 * <p>The follower's listener only queues; the worker applies. Per cluster only the newest change
 * waits: when epochs 2 and 3 arrive while the worker is busy, it applies 3 (told that the
 * previous master is the one before 2). So at start, once the follower has caught up, the newest
 * record of each cluster is applied before anything else, and a slow target never makes the
 * follower fall behind. A failed change is retried with backoff (0.5 s doubling to 30 s) until it
 * succeeds or a newer one replaces it. Stale epochs never get here: the follower drops them.
 */
public final class SubscriberRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SubscriberRunner.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  private static final Duration LAST_RETRY = Duration.ofSeconds(30);

  /** The numbers of one cluster, for metrics. */
  public record ClusterStats(long appliedEpoch, long applied, long failures, boolean failing,
      Duration lastApplyDuration, Duration publishToApply) {
    static final ClusterStats NONE = new ClusterStats(0, 0, 0, false, Duration.ZERO,
        Duration.ZERO);
  }

  private record Pending(MasterChange change, long notBeforeNanos, int failedAttempts) {}

  private final Target target;
  private final MasterFollower follower;
  private final Duration statusInterval;
  private final Object lock = new Object();
  private final Map<String, Pending> pending = new HashMap<>();
  private final Map<String, ClusterStats> stats = new ConcurrentHashMap<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Thread worker;
  private final ApplyContext context = new ApplyContext() {
    @Override
    public Map<String, MasterRecord> known() {
      return follower.all();
    }

    @Override
    public boolean superseded(String cluster) {
      synchronized (lock) {
        return pending.containsKey(cluster);
      }
    }

    @Override
    public boolean sleep(Duration duration) {
      try {
        return !closing.await(duration.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  };

  /**
   * @param options the follower's options; their clusters should be {@link Target#clusters()}
   * @param statusInterval how often to log the subscriber's lag and applied epochs
   */
  public SubscriberRunner(Target target, FollowerOptions options, Duration statusInterval) {
    this.target = target;
    this.follower = new MasterFollower(options);
    this.statusInterval = statusInterval;
    this.worker = new Thread(this::work, "baton-subscriber-" + target.name());
  }

  /** A started runner following {@code kafka}'s master topic for the target's clusters. */
  public static SubscriberRunner started(Target target, KafkaConnection kafka, String groupId,
      Duration statusInterval) {
    SubscriberRunner runner = new SubscriberRunner(target, FollowerOptions.builder(kafka)
        .clusters(target.clusters()).groupId(groupId).build(), statusInterval);
    runner.start();
    return runner;
  }

  public void start() {
    follower.addListener(this::enqueue);
    follower.start();
    worker.start();
  }

  private void enqueue(Optional<MasterRecord> previous, MasterRecord current, Instant at) {
    synchronized (lock) {
      Pending waiting = pending.get(current.cluster());
      // The target still stands where the waiting change found it.
      Optional<MasterRecord> from = waiting == null ? previous : waiting.change().previous();
      pending.put(current.cluster(),
          new Pending(new MasterChange(from, current, at), System.nanoTime(), 0));
      lock.notifyAll();
    }
  }

  private void work() {
    long nextStatus = System.nanoTime() + statusInterval.toNanos();
    Optional<Duration> reconcileEvery = target.reconcileInterval();
    long nextReconcile = System.nanoTime() + reconcileEvery.map(Duration::toNanos).orElse(0L);
    while (closing.getCount() > 0) {
      long wakeAt = reconcileEvery.isPresent() ? Math.min(nextStatus, nextReconcile) : nextStatus;
      Optional<Pending> due = takeDue(wakeAt);
      due.ifPresent(this::apply);
      long now = System.nanoTime();
      if (reconcileEvery.isPresent() && now - nextReconcile >= 0 && follower.isReady()) {
        try {
          target.reconcile(context);
        } catch (RuntimeException e) {
          log.warn("subscriber={} reconcile failed: {}", target.name(),
              Printable.escape(e.toString()));
        }
        nextReconcile = System.nanoTime() + reconcileEvery.get().toNanos();
      }
      if (now - nextStatus >= 0) {
        logStatus();
        nextStatus = now + statusInterval.toNanos();
      }
    }
  }

  /** The change due first, once due; empty when {@code wakeAt} or closing comes first. */
  private Optional<Pending> takeDue(long wakeAt) {
    synchronized (lock) {
      while (closing.getCount() > 0) {
        Pending first = null;
        for (Pending candidate : pending.values()) {
          if (first == null || candidate.notBeforeNanos() - first.notBeforeNanos() < 0) {
            first = candidate;
          }
        }
        long now = System.nanoTime();
        if (first != null && now - first.notBeforeNanos() >= 0) {
          pending.remove(first.change().cluster());
          return Optional.of(first);
        }
        long until = first == null ? wakeAt : Math.min(wakeAt, first.notBeforeNanos());
        long waitNanos = until - now;
        if (waitNanos <= 0) {
          return Optional.empty();
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, waitNanos);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          closing.countDown();
        }
      }
      return Optional.empty();
    }
  }

  private void apply(Pending job) {
    MasterChange change = job.change();
    MasterRecord master = change.current();
    String where = "subscriber=" + target.name() + " cluster=" + master.cluster() + " epoch="
        + master.epoch() + " node=" + master.node() + " " + master.host() + ":" + master.port();
    long started = System.nanoTime();
    ClusterStats before = stats.getOrDefault(master.cluster(), ClusterStats.NONE);
    try {
      String how = target.apply(change, context);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      Duration sincePublished = Duration.between(change.publishedAt(), Instant.now());
      stats.put(master.cluster(), new ClusterStats(master.epoch(), before.applied() + 1,
          before.failures(), false, took, sincePublished));
      log.info("{} applied in {} ms ({}); {} ms after it was published", where, took.toMillis(),
          how, sincePublished.toMillis());
    } catch (ApplyFailedException e) {
      stats.put(master.cluster(), failed(before));
      log.error("{} not applied, giving up on this epoch: {}", where,
          Printable.escape(e.getMessage()));
    } catch (Exception e) {
      stats.put(master.cluster(), failed(before));
      int attempts = job.failedAttempts() + 1;
      Duration retry = retryDelay(attempts);
      boolean requeued;
      synchronized (lock) {
        requeued = !pending.containsKey(master.cluster());
        if (requeued) {
          pending.put(master.cluster(),
              new Pending(change, System.nanoTime() + retry.toNanos(), attempts));
        }
      }
      log.warn("{} not applied (attempt {}){}: {}", where, attempts,
          requeued ? ", retrying in " + retry.toMillis() + " ms" : ", a newer change replaces it",
          Printable.escape(e.toString()));
    }
  }

  private static ClusterStats failed(ClusterStats before) {
    return new ClusterStats(before.appliedEpoch(), before.applied(), before.failures() + 1, true,
        before.lastApplyDuration(), before.publishToApply());
  }

  private static Duration retryDelay(int attempts) {
    Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 10));
    return delay.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : delay;
  }

  private void logStatus() {
    Map<String, Long> applied = new TreeMap<>();
    stats.forEach((cluster, s) -> applied.put(cluster, s.appliedEpoch()));
    int waiting;
    synchronized (lock) {
      waiting = pending.size();
    }
    log.info("subscriber={} ready={} lag={} malformed={} applied epochs={} waiting={}",
        target.name(), follower.isReady(),
        follower.lag().isPresent() ? Long.toString(follower.lag().getAsLong()) : "unknown",
        follower.malformedRecords(), applied, waiting);
  }

  public String name() {
    return target.name();
  }

  public MasterFollower follower() {
    return follower;
  }

  /** Per cluster: what this subscriber applied, by cluster name. */
  public Map<String, ClusterStats> stats() {
    return new TreeMap<>(stats);
  }

  /** Caught up with the master topic, and the last attempt for every cluster succeeded. */
  public boolean healthy() {
    return follower.isReady() && stats.values().stream().noneMatch(ClusterStats::failing);
  }

  /** Stops the worker (after the change in hand) and the follower. */
  @Override
  public void close() {
    closing.countDown();
    synchronized (lock) {
      lock.notifyAll();
    }
    try {
      worker.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    follower.close();
  }
}
