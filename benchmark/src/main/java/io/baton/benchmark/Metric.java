package io.baton.benchmark;

import io.baton.events.Amounts;

/**
 * What a run measures. Durations are kept in milliseconds, counts as counts; the JSON key says
 * which ({@code outageMs}, {@code lostWrites}).
 */
public enum Metric {
  /** Start of the first failed write to the acknowledgement of the next successful insert. */
  OUTAGE("write outage", Unit.MILLIS, "outageMs"),
  /** The longest single attempt: a commit hanging on a dead synchronous standby shows here. */
  LONGEST_WRITE("longest write", Unit.MILLIS, "longestWriteMs"),
  /** Fault to the broker time of the coordinator's event that it noticed. */
  DETECTION("detection", Unit.MILLIS, "detectionMs"),
  /** Fault to the broker time of the new master record. */
  PROMOTION("promotion", Unit.MILLIS, "promotionMs"),
  /** Fault to the broker time of the event naming a new synchronous standby. */
  SYNC_REPLACED("sync standby replaced", Unit.MILLIS, "syncReplacedMs"),
  /** Fault to the old primary's last acknowledged commit (0 when that was before the fault). */
  OLD_PRIMARY_LAST_COMMIT("old primary's last commit", Unit.MILLIS, "oldPrimaryLastCommitMs"),
  /** max(0, old primary's last acknowledged commit end - new primary's first commit start). */
  OVERLAP("overlap", Unit.MILLIS, "overlapMs"),
  /** Fault to exactly one primary with every other node streaming again. */
  HEALTHY_AGAIN("healthy again", Unit.MILLIS, "healthyAgainMs"),
  /** Acknowledged sequence numbers missing on the final primary. */
  LOST_WRITES("lost writes", Unit.COUNT, "lostWrites"),
  /** Switchover request sent to the request answered completed. */
  HANDOVER("handover", Unit.MILLIS, "handoverMs"),
  /** Master record's broker time to the MasterFollower listener call in this JVM. */
  LISTENER("listener call", Unit.MILLIS, "listenerMs"),
  /** Master record's broker time to the first successful write through HAProxy. */
  HAPROXY("first write via HAProxy", Unit.MILLIS, "haproxyMs"),
  /** Master record's broker time to the first successful write through PgBouncer. */
  PGBOUNCER("first write via PgBouncer", Unit.MILLIS, "pgbouncerMs"),
  /** Kafka paused or stopped to resumed (SIGCONT) or serving again after a restart. */
  KAFKA_AWAY("Kafka away", Unit.MILLIS, "kafkaAwayMs"),
  /** 1 when the primary fenced itself (a heartbeat says so, or the coordinator renewed it). */
  FENCED("fenced", Unit.COUNT, "fenced"),
  /** 1 when the coordinator failed over: a primary-lost event or a new master record. */
  FAILOVER("failover", Unit.COUNT, "failover"),
  /** Kafka back to the end of the client's outage, in runs where its writes failed. */
  WRITES_RESUMED("writes resumed after Kafka", Unit.MILLIS, "writesResumedMs");

  /** How a metric's values read. */
  public enum Unit {
    MILLIS,
    COUNT
  }

  private final String label;
  private final Unit unit;
  private final String jsonKey;

  Metric(String label, Unit unit, String jsonKey) {
    this.label = label;
    this.unit = unit;
    this.jsonKey = jsonKey;
  }

  public String label() {
    return label;
  }

  public Unit unit() {
    return unit;
  }

  public String jsonKey() {
    return jsonKey;
  }

  /** A value for people: {@code 1.21 s}, {@code 85 ms}, {@code 0}. */
  public String format(double value) {
    if (unit == Unit.COUNT) {
      return Long.toString(Math.round(value));
    }
    return Amounts.millis(value);
  }
}
