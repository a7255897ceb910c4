package io.baton.cli.request;

import io.baton.cli.Arguments;
import io.baton.cli.Command;
import io.baton.cli.ExitCode;
import io.baton.cli.Session;
import io.baton.cli.args.CommandSpec;
import io.baton.cli.args.OptionSpec;
import io.baton.cli.args.ParsedArguments;
import io.baton.cli.events.EventLine;
import io.baton.cli.kafka.KafkaUnavailableException;
import io.baton.client.kafka.KafkaConnection;
import io.baton.client.keys.OperatorKey;
import io.baton.client.operator.RequestClient;
import io.baton.cli.text.Durations;
import io.baton.events.ReplicationMode;
import io.baton.events.RequestedAction;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.kafka.common.KafkaException;

/**
 * The commands that send an operator request to the coordinator and print its answer as it
 * arrives: {@code switchover}, {@code failover}, {@code replication-mode}, {@code maintenance}.
 */
public final class RequestCommand implements Command {
  private static final OptionSpec TIMEOUT = OptionSpec.value(
      "--timeout", "DURATION", "how long to wait for the final answer", "30s");

  private final CommandSpec spec;
  private final BiFunction<ParsedArguments, Session, RequestedAction> action;

  private RequestCommand(
      CommandSpec spec, BiFunction<ParsedArguments, Session, RequestedAction> action) {
    this.spec = spec;
    this.action = action;
  }

  public static List<Command> all() {
    return List.of(switchover(), failover(), replicationMode(), maintenance());
  }

  static RequestCommand switchover() {
    return new RequestCommand(
        new CommandSpec("switchover", "Hand the primary role to a standby with no data loss",
            List.of("CLUSTER"),
            List.of(OptionSpec.value("--to", "NODE",
                    "the standby to hand over to (default: the coordinator picks the best)"),
                TIMEOUT),
            """
            The coordinator makes the target synchronous, drains the primary (no new writes,
            sessions ended, shutdown checkpoint), promotes the target once it has received the
            last WAL, and publishes the new master. Refused in maintenance mode, or when no
            standby is streaming close enough behind.
            """),
        (args, session) -> new RequestedAction.Switchover(
            Optional.empty(), Arguments.node(args, "--to")));
  }

  static RequestCommand failover() {
    return new RequestCommand(
        new CommandSpec("failover", "Promote a standby while the primary is lost",
            List.of("CLUSTER"),
            List.of(OptionSpec.value("--to", "NODE", "the standby to promote (default: the best)"),
                OptionSpec.flag("--force", "promote even a lagging or not synchronous standby:"
                    + " acknowledged writes may be lost"),
                TIMEOUT),
            """
            Only while the coordinator considers the primary lost; a healthy primary is handed
            over with 'switchover' instead.
            """),
        (args, session) -> new RequestedAction.Failover(Arguments.node(args, "--to"), args.flag("--force")));
  }

  static RequestCommand replicationMode() {
    return new RequestCommand(
        new CommandSpec("replication-mode", "Set the cluster's replication mode",
            List.of("CLUSTER", "async|sync|strict-sync"), List.of(TIMEOUT),
            """
            async: commits do not wait for standbys. sync: commits wait for one synchronous
            standby, the only one promotable; without a healthy standby writes go on alone.
            strict-sync: as sync, but writes block rather than go on without a standby.
            """),
        (args, session) -> {
          try {
            return new RequestedAction.SetReplicationMode(ReplicationMode.of(args.argument(1)));
          } catch (IllegalArgumentException e) {
            throw args.usageError("replication mode: " + e.getMessage());
          }
        });
  }

  static RequestCommand maintenance() {
    return new RequestCommand(
        new CommandSpec("maintenance", "Turn maintenance mode on or off",
            List.of("CLUSTER", "on|off"), List.of(TIMEOUT),
            """
            In maintenance the coordinator neither fails over nor switches over; it only
            watches and reports.
            """),
        (args, session) -> {
          String state = args.argument(1);
          if (!state.equals("on") && !state.equals("off")) {
            throw args.usageError("maintenance: '" + state + "' is neither on nor off");
          }
          return new RequestedAction.SetMaintenance(state.equals("on"));
        });
  }

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public ExitCode run(ParsedArguments args, Session session) {
    String cluster = Arguments.cluster(args);
    RequestedAction requested = action.apply(args, session);
    Duration timeout = Arguments.duration(args, "--timeout");
    OperatorKey operator = session.operatorKey(args);
    KafkaConnection kafka = answersCommittedOnly(session.kafka(args).connection());
    session.out().println(spec.name() + " of " + cluster + " requested by " + operator.operator()
        + "; waiting up to " + Durations.format(timeout) + " for the answer");
    RequestClient.Answer answer;
    try (RequestClient client = new RequestClient(kafka, operator)) {
      answer = client.submit(cluster, requested, timeout, event -> {
        session.out().println(EventLine.renderShort(event, session.times()));
        session.out().flush();
      });
    } catch (KafkaException e) {
      throw new KafkaUnavailableException(
          "the request could not be sent or its answer followed (" + kafka.describe() + "): "
              + e.getMessage(), e);
    } catch (IllegalStateException e) {
      // The request client's own failures (topic missing, send failed) name Kafka already.
      throw new KafkaUnavailableException(e.getMessage(), e);
    }
    Verdict verdict = Verdict.of(answer, cluster, timeout);
    session.out().println(verdict.summary());
    return verdict.exitCode();
  }

  /**
   * The coordinator writes its answers in transactions: reading them committed-only means an
   * answer that is later aborted (a coordinator crashing mid-commit) is never printed.
   */
  public static KafkaConnection answersCommittedOnly(KafkaConnection connection) {
    Map<String, String> properties = new HashMap<>(connection.clientProperties());
    properties.put("isolation.level", "read_committed");
    return new KafkaConnection(connection.bootstrapServers(), connection.topics(), properties);
  }
}
