package io.baton.coordinator.topology;

import io.baton.coordinator.cluster.ClusterState;
import io.baton.coordinator.decision.Decider;
import io.baton.coordinator.decision.Decision;
import io.baton.coordinator.decision.Effect;
import io.baton.events.ClusterEvent;
import io.baton.events.EventCodec;
import io.baton.events.EventType;
import io.baton.events.Heartbeat;
import io.baton.events.MalformedEventException;
import io.baton.events.Names;
import io.baton.events.OperatorRequest;
import io.baton.events.Printable;
import io.baton.events.Reason;
import io.baton.events.RequestOutcome;
import io.baton.events.TopicNames;
import io.baton.events.signing.SignatureHeaders;
import io.baton.coordinator.trust.HeartbeatCheck;
import io.baton.coordinator.trust.Refusal;
import io.baton.coordinator.trust.RefusalThrottle;
import io.baton.coordinator.trust.RequestCheck;
import io.baton.coordinator.trust.TrustSettings;
import java.nio.charset.StandardCharsets;
import io.baton.coordinator.clock.LivenessClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the cluster's state, asks the decider, stores the new state and forwards the effects.
 * Time is the partition's {@link LivenessClock}, moved by the broker append times of heartbeats and
 * clock ticks only. Before anything else, a heartbeat must prove it comes from the node it names
 * and a request from an operator allowed for its cluster ({@code trust}). A record nobody can
 * read, or that proves nothing, goes to the dead-letter topic as it was, with the reason in its
 * headers, and deciding goes on.
 */
final class ClusterProcessor implements Processor<String, byte[], String, byte[]> {
  private static final Logger EVENTS = LoggerFactory.getLogger("io.baton.coordinator.events");
  private static final Logger LOG = LoggerFactory.getLogger(ClusterProcessor.class);

  /** Throttles the warning about believing heartbeats of unenrolled nodes, per cluster. */
  private static final Refusal UNENROLLED =
      new Refusal(Refusal.Reason.NOT_ENROLLED, "*", "believed unenrolled");
  /** The clock's one entry in its store: each task has its own store, one per partition. */
  private static final String CLOCK_KEY = "clock";
  /** A silence shorter than this is a coordinator pause, not worth a log line. */
  private static final Duration NOTABLE_SILENCE = Duration.ofSeconds(1);

  /** A refusal is told on the events topic at most this often per cluster, subject and reason. */
  static final Duration TELL_REFUSALS_EVERY = Duration.ofMinutes(1);

  private final TopicNames topics;
  private final Decider decider;
  private final Duration clockMaxStep;
  private final TrustSettings trust;
  private final EnrollmentBook enrollmentBook;
  private final RefusalThrottle refusals = new RefusalThrottle(TELL_REFUSALS_EVERY);
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<String, ClusterState> store;
  private KeyValueStore<String, LivenessClock> clocks;
  private KeyValueStore<String, byte[]> enrollments;

  ClusterProcessor(TopicNames topics, Decider decider, Duration clockMaxStep, TrustSettings trust) {
    this.topics = topics;
    this.decider = decider;
    this.clockMaxStep = clockMaxStep;
    this.trust = trust;
    this.enrollmentBook = new EnrollmentBook(trust.operators());
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.store = context.getStateStore(CoordinatorTopology.STORE);
    this.clocks = context.getStateStore(CoordinatorTopology.CLOCK_STORE);
    this.enrollments = context.getStateStore(CoordinatorTopology.ENROLLMENTS_STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Instant append = Instant.ofEpochMilli(record.timestamp());
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("?");
    try {
      if (topic.equals(topics.requests())) {
        request(record, clock(append).now(), append);
      } else {
        Instant time = advanceClock(append);
        if (record.key() == null) {
          tick(time);
        } else {
          heartbeat(record, time);
        }
      }
    } catch (MalformedEventException e) {
      reject(record, e.getMessage());
    } catch (RuntimeException e) {
      // A bug in deciding must not stop the coordinator for every other cluster.
      LOG.error("cluster={} could not decide on a record from {}: {}",
          Printable.escape(record.key()), coordinates(), e, e);
      reject(record, "the coordinator failed on this record: " + e);
    }
  }

  /** The partition's clock as it stands; a request alone never starts or moves it. */
  private LivenessClock clock(Instant append) {
    return Optional.ofNullable(clocks.get(CLOCK_KEY)).orElseGet(() -> LivenessClock.startingAt(append));
  }

  private Instant advanceClock(Instant append) {
    LivenessClock before = clocks.get(CLOCK_KEY);
    LivenessClock after =
        before == null ? LivenessClock.startingAt(append) : before.advance(append, clockMaxStep);
    clocks.put(CLOCK_KEY, after);
    if (before != null && after.leftOutSince(before).compareTo(NOTABLE_SILENCE) >= 0) {
      LOG.warn(
          "{}: no record for {} of broker time (Kafka down or paused, ticks not appended, or a"
              + " broker's clock jumped): not counted as any node's silence",
          coordinates(), after.leftOutSince(before).plus(clockMaxStep));
    }
    return after.now();
  }

  private void heartbeat(Record<String, byte[]> record, Instant time) {
    Heartbeat heartbeat = EventCodec.read(record.value(), Heartbeat.class);
    if (!heartbeat.cluster().equals(record.key())) {
      throw new MalformedEventException(
          "heartbeat", "cluster",
          "is '" + heartbeat.cluster() + "' but the record key is '" + record.key() + "'", null);
    }
    HeartbeatCheck.Verdict verdict =
        HeartbeatCheck.verify(
            heartbeat, record.value(), header(record, SignatureHeaders.SIGNATURE),
            enrollmentBook.identity(enrollments, heartbeat.cluster(), heartbeat.node()),
            trust.acceptsUnenrolled(heartbeat.cluster()));
    if (verdict instanceof HeartbeatCheck.Verdict.Refused refused) {
      refuse(record, refused.refusal(), Optional.empty(), time);
      return;
    }
    if (verdict instanceof HeartbeatCheck.Verdict.AcceptedUnenrolled
        && refusals.shouldTell(heartbeat.cluster(), UNENROLLED, time)) {
      LOG.warn("cluster={} node={} believed a heartbeat that proves nothing: the node is not"
              + " enrolled and the cluster is listed in baton.coordinator.unverified-clusters;"
              + " anyone who can write {} can move this cluster's primary",
          heartbeat.cluster(), heartbeat.node(), topics.heartbeats());
    }
    Optional<ClusterState> state = Optional.ofNullable(store.get(record.key()));
    apply(state, decider.onHeartbeat(state, heartbeat, time), time);
  }

  private void request(Record<String, byte[]> record, Instant time, Instant appendedAt) {
    OperatorRequest request = EventCodec.read(record.value(), OperatorRequest.class);
    if (!request.cluster().equals(record.key())) {
      throw new MalformedEventException(
          "operator request", "cluster",
          "is '" + request.cluster() + "' but the record key is '" + record.key() + "'", null);
    }
    RequestCheck.Verdict verdict =
        RequestCheck.verify(
            request, record.value(), header(record, SignatureHeaders.SIGNATURE),
            header(record, SignatureHeaders.SIGNER)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8)),
            trust.operators());
    if (verdict instanceof RequestCheck.Verdict.Refused refused) {
      refuse(record, refused.refusal(), Optional.of(request.requestId()), time);
      return;
    }
    OperatorRequest verified = ((RequestCheck.Verdict.Verified) verdict).request();
    Optional<ClusterState> state = Optional.ofNullable(store.get(record.key()));
    apply(state, decider.onRequest(state, verified, time, appendedAt), time);
  }

  private static Optional<byte[]> header(Record<String, byte[]> record, String name) {
    return Optional.ofNullable(record.headers().lastHeader(name)).map(Header::value);
  }

  /** Moves every cluster of this task forward in broker time. */
  private void tick(Instant time) {
    List<KeyValue<String, ClusterState>> clusters = new ArrayList<>();
    try (KeyValueIterator<String, ClusterState> all = store.all()) {
      all.forEachRemaining(clusters::add);
    }
    for (KeyValue<String, ClusterState> cluster : clusters) {
      try {
        apply(Optional.of(cluster.value), decider.onTick(cluster.value, time), time);
      } catch (RuntimeException e) {
        LOG.error("cluster={} could not decide on a clock tick: {}", cluster.key, e, e);
      }
    }
  }

  private void apply(Optional<ClusterState> before, Decision decision, Instant time) {
    decision.state().filter(after -> !before.equals(Optional.of(after)))
        .ifPresent(after -> store.put(after.cluster(), after));
    long timestamp = time.toEpochMilli();
    for (Effect effect : decision.effects()) {
      if (effect instanceof Effect.Assign assign) {
        context.forward(
            new Record<>(assign.assignment().key(), EventCodec.write(assign.assignment()), timestamp),
            CoordinatorTopology.ASSIGNMENTS);
      } else if (effect instanceof Effect.PublishMaster publish) {
        context.forward(
            new Record<>(publish.master().cluster(), EventCodec.write(publish.master()), timestamp),
            CoordinatorTopology.MASTER);
      } else if (effect instanceof Effect.Emit emit) {
        ClusterEvent event = emit.event();
        EVENTS.info(event.logLine());
        context.forward(
            new Record<>(event.cluster(), EventCodec.write(event), timestamp),
            CoordinatorTopology.EVENTS);
      }
    }
  }

  private void reject(Record<String, byte[]> record, String reason) {
    LOG.warn("cluster={} rejected record {}: {}", Printable.escape(record.key()), coordinates(),
        Printable.escape(reason));
    deadLetter(record, reason, Optional.empty());
    if (Names.isValid(record.key())) {
      emit(new ClusterEvent(
          record.key(), Instant.ofEpochMilli(record.timestamp()), epochOf(record.key()),
          EventType.MALFORMED_RECORD, Optional.empty(),
          "rejected a record from " + coordinates() + ": " + reason + " (copied to "
              + topics.deadLetters() + ")",
          Optional.empty(), Optional.empty(), Optional.empty()),
          record.timestamp());
    }
  }

  /**
   * A record that proves nothing: to the dead letters every time, and told on the events topic
   * at most once per {@link #TELL_REFUSALS_EVERY} for its cluster, subject and reason. A refused
   * request is answered every time, as refused: its writer is an operator principal (only they
   * may write requests), who is waiting for that answer.
   */
  private void refuse(
      Record<String, byte[]> record, Refusal refusal, Optional<String> requestId, Instant time) {
    String cluster = record.key();
    deadLetter(record, refusal.message(), Optional.of(refusal.reason()));
    boolean tell = refusals.shouldTell(cluster, refusal, time);
    if (tell) {
      LOG.warn("cluster={} node={} refused {} from {}: changes nothing (copied to {})", cluster,
          Printable.escape(refusal.subject()), Printable.escape(refusal.message()), coordinates(),
          topics.deadLetters());
    }
    if (!tell && requestId.isEmpty()) {
      return;
    }
    emit(new ClusterEvent(
        cluster, time, epochOf(cluster), EventType.UNVERIFIED_RECORD,
        Optional.of(refusal.subject()).filter(Names::isValid)
            .filter(subject -> requestId.isEmpty()),
        "refused " + refusal.message() + ": it changes nothing (copied to "
            + topics.deadLetters() + (tell ? "" : "; said at most once a minute") + ")",
        requestId, requestId.map(id -> RequestOutcome.REFUSED),
        requestId.map(id -> Reason.UNVERIFIED)),
        time.toEpochMilli());
  }

  private void deadLetter(Record<String, byte[]> record, String reason, Optional<Refusal.Reason> why) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("baton.error", reason.getBytes(StandardCharsets.UTF_8));
    headers.add("baton.source", coordinates().getBytes(StandardCharsets.UTF_8));
    why.ifPresent(r -> headers.add("baton.refusal",
        r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
            .getBytes(StandardCharsets.UTF_8)));
    context.forward(
        new Record<>(record.key(), record.value(), record.timestamp(), headers),
        CoordinatorTopology.DEAD_LETTERS);
  }

  private long epochOf(String cluster) {
    return Optional.ofNullable(store.get(cluster)).map(ClusterState::epoch).orElse(0L);
  }

  private void emit(ClusterEvent event, long timestamp) {
    EVENTS.info(event.logLine());
    context.forward(
        new Record<>(event.cluster(), EventCodec.write(event), timestamp),
        CoordinatorTopology.EVENTS);
  }

  private String coordinates() {
    return context.recordMetadata()
        .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
        .orElse("?");
  }
}
