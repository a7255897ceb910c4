#!/usr/bin/env bash
# Grants each Baton party exactly what it uses, with Kafka's stock kafka-acls.sh. Safe to run
# again: adding an ACL that exists changes nothing.
#
# What the safety argument needs from Kafka: only the coordinator writes the master and
# assignments topics (any other writer could publish a primary nobody elected); only operators
# write requests and enrollments; agents write heartbeats and nothing else. The coordinator
# still believes a heartbeat only when it is signed with the key enrolled for its node, and a
# request or an enrollment only when signed by an operator key it knows: one agent's Kafka
# credential cannot speak for another node, and no agent credential can send a request. That
# holds only when the brokers enforce ACLs: an authorizer is configured (KRaft:
# authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer) and
# allow.everyone.if.no.acl.found stays false (the default).
set -euo pipefail

usage() {
  cat >&2 <<'USAGE'
usage: acls.sh --bootstrap-server HOST:PORT [options] [principals]

  --bootstrap-server HOST:PORT    Kafka to talk to (required)
  --command-config FILE           admin client properties (TLS/SASL); credentials stay in that file
  --prefix PREFIX                 topic prefix, default "baton."
  --application-id ID             the coordinator's baton.coordinator.application-id,
                                  default baton-coordinator
  --subscriber-group-prefix P     consumer groups of subscribers, default "baton-subscriber-"
  --application-group-prefix P    consumer groups of applications, default "baton-app-"
  --dry-run                       print the kafka-acls.sh commands instead of running them

principals (each optional, --application and --operator may be repeated), e.g. User:baton-agent:
  --coordinator P   reads heartbeats, requests and enrollments, writes master, assignments,
                    events, dead-letters
  --agent P         writes heartbeats only; reads its assignments and the events (handover)
  --subscriber P    reads master (HAProxy, PgBouncer, hook subscribers)
  --application P   reads master (the Java client library)
  --operator P      writes requests and enrollments; reads events, heartbeats, master,
                    assignments, enrollments, dead-letters

Finds kafka-acls.sh in $KAFKA_BIN, else on the PATH.
USAGE
  exit 64
}

bootstrap=""
command_config=""
prefix="baton."
app_id="baton-coordinator"
subscriber_groups="baton-subscriber-"
application_groups="baton-app-"
dry_run=false
coordinator=""
agent=""
subscriber=""
applications=()
operators=()

while [[ $# -gt 0 ]]; do
  if [[ $1 == --dry-run ]]; then
    dry_run=true
    shift
    continue
  fi
  [[ $# -ge 2 ]] || usage
  case "$1" in
    --bootstrap-server) bootstrap=$2 ;;
    --command-config) command_config=$2 ;;
    --prefix) prefix=$2 ;;
    --application-id) app_id=$2 ;;
    --subscriber-group-prefix) subscriber_groups=$2 ;;
    --application-group-prefix) application_groups=$2 ;;
    --coordinator) coordinator=$2 ;;
    --agent) agent=$2 ;;
    --subscriber) subscriber=$2 ;;
    --application) applications+=("$2") ;;
    --operator) operators+=("$2") ;;
    *) usage ;;
  esac
  shift 2
done
[[ -n $bootstrap ]] || usage
for name in "$prefix" "$app_id" "$subscriber_groups" "$application_groups"; do
  [[ $name =~ ^[A-Za-z0-9._-]+$ ]] || { echo "bad name or prefix '$name'" >&2; exit 64; }
done
if [[ -z $coordinator$agent$subscriber && ${#applications[@]} -eq 0 && ${#operators[@]} -eq 0 ]]; then
  echo "name at least one principal" >&2
  usage
fi

kafka_acls=""
for candidate in "${KAFKA_BIN:+$KAFKA_BIN/}kafka-acls.sh" "${KAFKA_BIN:+$KAFKA_BIN/}kafka-acls"; do
  if command -v "$candidate" >/dev/null 2>&1; then
    kafka_acls=$candidate
    break
  fi
done
if [[ -z $kafka_acls ]]; then
  if $dry_run; then
    kafka_acls=kafka-acls.sh
  else
    echo "cannot find kafka-acls.sh: put Kafka's bin directory on the PATH or set KAFKA_BIN" >&2
    exit 69
  fi
fi
connection=(--bootstrap-server "$bootstrap")
if [[ -n $command_config ]]; then
  [[ -r $command_config ]] || { echo "cannot read $command_config" >&2; exit 66; }
  connection+=(--command-config "$command_config")
fi

heartbeats="${prefix}heartbeats"
requests="${prefix}requests"
enrollments="${prefix}enrollments"
assignments="${prefix}assignments"
master="${prefix}master"
events="${prefix}events"
dead_letters="${prefix}dead-letters"

# allow PRINCIPAL RESOURCE-ARGS... -- OPERATION...
allow() {
  local principal=$1
  shift
  local resource=()
  while [[ $1 != -- ]]; do
    resource+=("$1")
    shift
  done
  shift
  local command=("$kafka_acls" "${connection[@]}" --add --allow-principal "$principal" "${resource[@]}")
  for operation in "$@"; do
    command+=(--operation "$operation")
  done
  if $dry_run; then
    printf '%q ' "${command[@]}"
    echo
  else
    "${command[@]}" >/dev/null
    echo "$principal: ${resource[*]}: $*"
  fi
}

# allow_topic PRINCIPAL TOPIC OPERATION...: one literal topic.
allow_topic() {
  local principal=$1 name=$2
  shift 2
  allow "$principal" --topic "$name" --resource-pattern-type literal -- "$@"
}

if [[ -n $coordinator ]]; then
  # Inputs. It also appends clock ticks to the heartbeats (failure detection in broker time) and
  # writes requests and reads events for its HTTP API, like the CLI.
  allow_topic "$coordinator" "$heartbeats" Read Write Describe DescribeConfigs
  allow_topic "$coordinator" "$requests" Read Write Describe DescribeConfigs
  # Enrollments: a global store, read by partition assignment (no group).
  allow_topic "$coordinator" "$enrollments" Read Describe DescribeConfigs
  # Outputs: the only principal that may write master and assignments.
  allow_topic "$coordinator" "$assignments" Write Describe DescribeConfigs
  allow_topic "$coordinator" "$master" Write Describe DescribeConfigs
  allow_topic "$coordinator" "$events" Read Write Describe DescribeConfigs
  allow_topic "$coordinator" "$dead_letters" Write Describe DescribeConfigs
  # TopicSetup creates missing topics; drop this one when create-topics.sh made them.
  allow "$coordinator" --topic "$prefix" --resource-pattern-type prefixed -- Create
  # Kafka Streams: its changelog topics (<application-id>-...), its consumer group, and the
  # transactional ids of exactly-once processing (<application-id>-<process>-<thread>).
  allow "$coordinator" --topic "$app_id-" --resource-pattern-type prefixed -- All
  allow "$coordinator" --group "$app_id" --resource-pattern-type literal -- Read Describe
  allow "$coordinator" --transactional-id "$app_id-" --resource-pattern-type prefixed -- Write Describe
fi

if [[ -n $agent ]]; then
  # Heartbeats only (DescribeConfigs: the agent checks the topic carries broker append time);
  # the preStop handover is asked in the node's own signed heartbeat, and its answer read on the
  # events topic. Its own node's assignments. Agents read by partition assignment: no group.
  allow_topic "$agent" "$heartbeats" Write Describe DescribeConfigs
  allow_topic "$agent" "$assignments" Read Describe
  allow_topic "$agent" "$events" Read Describe
fi

if [[ -n $subscriber ]]; then
  allow_topic "$subscriber" "$master" Read Describe
  # Only to commit positions for lag monitoring (every instance reads every partition).
  allow "$subscriber" --group "$subscriber_groups" --resource-pattern-type prefixed -- Read Describe
fi

for principal in "${applications[@]}"; do
  allow_topic "$principal" "$master" Read Describe
  allow "$principal" --group "$application_groups" --resource-pattern-type prefixed -- Read Describe
done

for principal in "${operators[@]}"; do
  # Requests and enrollments; the coordinator also checks the operator's key on each.
  allow_topic "$principal" "$requests" Write Describe DescribeConfigs
  allow_topic "$principal" "$enrollments" Read Write Describe DescribeConfigs
  for t in "$events" "$heartbeats" "$master" "$assignments" "$dead_letters"; do
    allow_topic "$principal" "$t" Read Describe DescribeConfigs
  done
  # kafka-console-consumer joins a group named console-consumer-<random>.
  allow "$principal" --group console-consumer- --resource-pattern-type prefixed -- Read Describe
done
