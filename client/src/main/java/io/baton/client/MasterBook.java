package io.baton.client;

import io.baton.events.EventCodec;
import io.baton.events.MalformedEventException;
import io.baton.events.MasterRecord;
import io.baton.events.Printable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a follower knows: the newest master of each cluster, and who to tell about changes. The
 * whole apply logic (decode, filter, the epoch rule, listener calls, the start-up snapshot) lives
 * here, apart from the Kafka loop, so tests drive it record by record.
 *
 * <p>{@link #offer}, {@link #markReady} and {@link #welcomeNewListeners} run on the follower's
 * thread only; the queries and the listener registration are safe from any thread.
 */
final class MasterBook {
  private static final Logger log = LoggerFactory.getLogger(MasterBook.class);

  private record Entry(MasterRecord master, java.time.Instant publishedAt) {}

  private final FollowerOptions options;
  private final Map<String, Entry> masters = new ConcurrentHashMap<>();
  private final List<MasterListener> active = new CopyOnWriteArrayList<>();
  private final List<MasterListener> joining = new ArrayList<>();
  private final AtomicLong malformed = new AtomicLong();
  private volatile boolean ready;

  MasterBook(FollowerOptions options) {
    this.options = options;
  }

  /** Applies one record from the topic; never throws for anything the record holds. */
  void offer(IncomingRecord record) {
    Optional<String> key = record.key().map(k -> new String(k, StandardCharsets.UTF_8));
    if (key.isPresent() && !options.follows(key.get())) {
      return;
    }
    if (record.value().isEmpty()) {
      // A tombstone would let compaction erase a cluster's last master; a follower must not
      // forget a primary because of it, so the last known master stays.
      log.info("ignoring tombstone for cluster {} at {}: keeping its last known master",
          key.map(Printable::escape).orElse("(no key)"), record.position());
      return;
    }
    MasterRecord master;
    try {
      master = EventCodec.read(record.value().get(), MasterRecord.class);
      if (key.isEmpty()) {
        throw new MalformedEventException("master record", "", "has no key (expected the cluster"
            + " name '" + master.cluster() + "')", null);
      }
      if (!key.get().equals(master.cluster())) {
        throw new MalformedEventException("master record", "cluster", "'" + master.cluster()
            + "' does not match the record key " + Printable.quote(key.get()), null);
      }
    } catch (MalformedEventException e) {
      // The message quotes the offending value escaped, so a refused record is one log line.
      malformed.incrementAndGet();
      log.warn("skipping malformed record at {} (key {}): {}", record.position(),
          key.map(Printable::quote).orElse("(none)"), e.getMessage());
      return;
    }
    if (!options.follows(master.cluster())) {
      return;
    }
    apply(master, record);
  }

  private void apply(MasterRecord master, IncomingRecord record) {
    Entry known = masters.get(master.cluster());
    if (known != null && master.epoch() <= known.master().epoch()) {
      if (master.epoch() == known.master().epoch()) {
        log.debug("cluster={} epoch={} node={}: repeated record at {}, already applied",
            master.cluster(), master.epoch(), master.node(), record.position());
      } else {
        log.info("cluster={} epoch={} node={}: stale record at {} ignored, epoch {} (node {})"
                + " already applied", master.cluster(), master.epoch(), master.node(),
            record.position(), known.master().epoch(), known.master().node());
      }
      return;
    }
    masters.put(master.cluster(), new Entry(master, record.timestamp()));
    MasterChange change = new MasterChange(
        Optional.ofNullable(known).map(Entry::master), master, record.timestamp());
    if (ready) {
      log.info("cluster={} epoch={} node={} {}:{}: new master (was {}) from {}",
          master.cluster(), master.epoch(), master.node(), master.host(), master.port(),
          change.previous().map(p -> p.node() + " epoch " + p.epoch()).orElse("unknown"),
          record.position());
      for (MasterListener listener : active) {
        deliver(listener, change);
      }
    } else {
      log.debug("cluster={} epoch={} node={}: read while catching up at {}",
          master.cluster(), master.epoch(), master.node(), record.position());
    }
  }

  /**
   * The follower has read up to the end offsets seen at start: from now on changes are told to
   * listeners, and every listener first gets the current master of each cluster.
   */
  void markReady() {
    if (ready) {
      return;
    }
    ready = true;
    log.info("caught up with {}: {} cluster(s) known {}", options.masterTopic(), masters.size(),
        summary());
    welcomeNewListeners();
  }

  boolean isReady() {
    return ready;
  }

  /** Gives listeners added since the last call their snapshot, once the book is ready. */
  void welcomeNewListeners() {
    if (!ready) {
      return;
    }
    List<MasterListener> arrived;
    synchronized (joining) {
      if (joining.isEmpty()) {
        return;
      }
      arrived = new ArrayList<>(joining);
      joining.clear();
      active.addAll(arrived);
    }
    Map<String, Entry> snapshot = new TreeMap<>(masters);
    for (MasterListener listener : arrived) {
      snapshot.values().forEach(e -> deliver(listener,
          new MasterChange(Optional.empty(), e.master(), e.publishedAt())));
    }
  }

  void addListener(MasterListener listener) {
    synchronized (joining) {
      joining.add(listener);
    }
  }

  boolean removeListener(MasterListener listener) {
    synchronized (joining) {
      return joining.remove(listener) | active.remove(listener);
    }
  }

  /** Whether a listener was added but has not had its snapshot yet. */
  boolean hasNewListeners() {
    synchronized (joining) {
      return !joining.isEmpty();
    }
  }

  private static void deliver(MasterListener listener, MasterChange change) {
    try {
      listener.onMasterChange(change.previous(), change.current(), change.publishedAt());
    } catch (RuntimeException | LinkageError | AssertionError e) {
      log.error("master listener {} failed on cluster={} epoch={}; the follower goes on",
          listener, change.cluster(), change.current().epoch(), e);
    }
  }

  Optional<MasterRecord> current(String cluster) {
    return Optional.ofNullable(masters.get(cluster)).map(Entry::master);
  }

  Map<String, MasterRecord> all() {
    Map<String, MasterRecord> all = new TreeMap<>();
    masters.forEach((cluster, entry) -> all.put(cluster, entry.master()));
    return Map.copyOf(all);
  }

  OptionalLong lastAppliedEpoch(String cluster) {
    Entry entry = masters.get(cluster);
    return entry == null ? OptionalLong.empty() : OptionalLong.of(entry.master().epoch());
  }

  long malformedRecords() {
    return malformed.get();
  }

  private String summary() {
    StringBuilder text = new StringBuilder("[");
    new TreeMap<>(masters).forEach((cluster, e) -> text.append(text.length() > 1 ? ", " : "")
        .append(cluster).append('=').append(e.master().node()).append(" epoch ")
        .append(e.master().epoch()));
    return text.append(']').toString();
  }
}
