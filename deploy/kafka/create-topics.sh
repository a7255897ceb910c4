#!/usr/bin/env bash
# Creates Baton's topics with the settings the coordinator requires, using Kafka's stock tools.
# Safe to run again: missing topics are created, existing ones get the required settings.
#
# The coordinator creates missing topics itself (TopicSetup) when its principal may; run this
# instead when topics are created by an administrator, or to repair settings the coordinator
# refuses to start with. The table below must say what TopicSetup says: DeployConsistencyTest
# (system-tests) compares them.
set -euo pipefail

usage() {
  cat >&2 <<'USAGE'
usage: create-topics.sh --bootstrap-server HOST:PORT [options]

  --bootstrap-server HOST:PORT   Kafka to talk to (required)
  --command-config FILE          client properties for TLS/SASL; credentials stay in that file
  --prefix PREFIX                topic prefix, default "baton." (baton.kafka.topic-prefix)
  --partitions N                 partitions of every topic, default 6 (baton.topics.partitions):
                                 one coordinator task per partition; heartbeats and requests
                                 must have the same count
  --replication-factor N         default 3
  --min-insync-replicas N        default min(2, replication factor)
  --heartbeat-retention-ms MS    default 3600000 (1 h, baton.topics.heartbeat-retention)
  --request-retention-ms MS      default 86400000 (1 d, baton.topics.request-retention)
  --events-retention-ms MS       default 2592000000 (30 d, baton.topics.events-retention)

Finds kafka-topics.sh and kafka-configs.sh in $KAFKA_BIN, else on the PATH.
USAGE
  exit 64
}

bootstrap=""
command_config=""
prefix="baton."
partitions=6
replication=3
min_isr=""
heartbeat_retention_ms=3600000
request_retention_ms=86400000
events_retention_ms=2592000000

while [[ $# -gt 0 ]]; do
  [[ $# -ge 2 ]] || usage
  case "$1" in
    --bootstrap-server) bootstrap=$2 ;;
    --command-config) command_config=$2 ;;
    --prefix) prefix=$2 ;;
    --partitions) partitions=$2 ;;
    --replication-factor) replication=$2 ;;
    --min-insync-replicas) min_isr=$2 ;;
    --heartbeat-retention-ms) heartbeat_retention_ms=$2 ;;
    --request-retention-ms) request_retention_ms=$2 ;;
    --events-retention-ms) events_retention_ms=$2 ;;
    *) usage ;;
  esac
  shift 2
done
[[ -n $bootstrap ]] || usage
[[ $prefix =~ ^[A-Za-z0-9._-]*$ ]] || { echo "bad --prefix '$prefix'" >&2; exit 64; }
for n in "$partitions" "$replication" "$heartbeat_retention_ms" "$request_retention_ms" "$events_retention_ms"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "not a positive number: $n" >&2; exit 64; }
done
# An acknowledged heartbeat is what keeps a primary writable (its lease): with one in-sync replica
# a broker failure could lose an acknowledged heartbeat, and the coordinator would see a gap the
# agent never saw. Two copies before the acknowledgement close that window.
if [[ -z $min_isr ]]; then
  min_isr=$(( replication < 2 ? replication : 2 ))
fi
[[ $min_isr =~ ^[1-9][0-9]*$ && $min_isr -le $replication ]] \
  || { echo "--min-insync-replicas must be 1..$replication" >&2; exit 64; }

tool() {
  local name=$1
  for candidate in "${KAFKA_BIN:+$KAFKA_BIN/}$name.sh" "${KAFKA_BIN:+$KAFKA_BIN/}$name"; do
    if command -v "$candidate" >/dev/null 2>&1; then
      echo "$candidate"
      return
    fi
  done
  echo "cannot find $name.sh: put Kafka's bin directory on the PATH or set KAFKA_BIN" >&2
  exit 69
}
kafka_topics=$(tool kafka-topics)
kafka_configs=$(tool kafka-configs)

connection=(--bootstrap-server "$bootstrap")
if [[ -n $command_config ]]; then
  [[ -r $command_config ]] || { echo "cannot read $command_config" >&2; exit 66; }
  connection+=(--command-config "$command_config")
fi

# topic|configs: what TopicSetup creates. Heartbeats and requests carry the broker's append time
# (failure detection and the agents' lease run in broker time), and so does master (subscribers
# measure their delay from it); master, assignments and enrollments are
# compacted (the newest record per key must never be deleted); an acknowledged record must
# survive the loss of the broker that acknowledged it (min.insync.replicas).
topics() {
  cat <<TOPICS
heartbeats|cleanup.policy=delete,message.timestamp.type=LogAppendTime,retention.ms=${heartbeat_retention_ms},min.insync.replicas=${min_isr}
requests|cleanup.policy=delete,message.timestamp.type=LogAppendTime,retention.ms=${request_retention_ms},min.insync.replicas=${min_isr}
enrollments|cleanup.policy=compact,min.insync.replicas=${min_isr}
assignments|cleanup.policy=compact,min.insync.replicas=${min_isr}
master|cleanup.policy=compact,message.timestamp.type=LogAppendTime,min.insync.replicas=${min_isr}
events|cleanup.policy=delete,retention.ms=${events_retention_ms},min.insync.replicas=${min_isr}
dead-letters|cleanup.policy=delete,retention.ms=${events_retention_ms},min.insync.replicas=${min_isr}
TOPICS
}

partition_count() {
  "$kafka_topics" "${connection[@]}" --describe --topic "$1" \
    | sed -n 's/.*PartitionCount:[[:space:]]*\([0-9][0-9]*\).*/\1/p' | head -n 1
}

while IFS='|' read -r name configs; do
  topic="$prefix$name"
  create=("$kafka_topics" "${connection[@]}" --create --if-not-exists --topic "$topic"
    --partitions "$partitions" --replication-factor "$replication")
  IFS=',' read -r -a pairs <<<"$configs"
  for pair in "${pairs[@]}"; do
    create+=(--config "$pair")
  done
  "${create[@]}" >/dev/null
  # --if-not-exists leaves an existing topic as it was: set the required configs on it too.
  "$kafka_configs" "${connection[@]}" --alter --entity-type topics --entity-name "$topic" \
    --add-config "$configs" >/dev/null
  have=$(partition_count "$topic")
  echo "$topic: $have partitions, $configs"
  if [[ $have != "$partitions" ]]; then
    echo "  note: $topic already existed with $have partitions (asked for $partitions)" >&2
  fi
done < <(topics)

heartbeats=$(partition_count "${prefix}heartbeats")
requests=$(partition_count "${prefix}requests")
if [[ $heartbeats != "$requests" ]]; then
  echo "error: ${prefix}heartbeats has $heartbeats partitions and ${prefix}requests $requests:" \
    "they must be equal, so that a cluster's heartbeats and requests meet in one coordinator task" >&2
  exit 1
fi
