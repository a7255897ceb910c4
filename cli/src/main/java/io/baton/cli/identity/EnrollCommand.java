package io.baton.cli.identity;

import io.baton.cli.Arguments;
import io.baton.cli.Command;
import io.baton.cli.ExitCode;
import io.baton.cli.Session;
import io.baton.cli.args.CommandSpec;
import io.baton.cli.args.OptionSpec;
import io.baton.cli.args.ParsedArguments;
import io.baton.cli.kafka.KafkaUnavailableException;
import io.baton.client.keys.KeyFiles;
import io.baton.client.keys.OperatorKey;
import io.baton.client.operator.Enroller;
import io.baton.events.Enrollment;
import io.baton.events.Hosts;
import io.baton.events.Names;
import io.baton.events.Printable;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.KafkaException;

/**
 * {@code baton enroll CLUSTER NODE --host H --port P --public-key FILE}: makes a node's key and
 * address its identity. The coordinator believes the node's heartbeats only when signed with
 * that key and reporting that address; enrolling again replaces both.
 */
public final class EnrollCommand implements Command {
  private static final CommandSpec SPEC = new CommandSpec(
      "enroll", "Enroll a node: the key its heartbeats are signed with, and its address",
      List.of("CLUSTER", "NODE"),
      List.of(
          OptionSpec.value("--host", "HOST",
              "where clients and standbys reach the node's PostgreSQL (its baton.postgres.host)"),
          OptionSpec.value("--port", "PORT", "its PostgreSQL port (baton.postgres.port)"),
          OptionSpec.value("--public-key", "FILE",
              "the node's public key, as baton-agent print-public-key prints it on the node"),
          OptionSpec.value("--timeout", "DURATION", "how long to wait for Kafka", "30s")),
      """
      Writes the enrollment, signed with your operator key, to the compacted enrollments
      topic. The coordinator then believes heartbeats of NODE in CLUSTER only when they are
      signed with that key and report that host and port, and publishes that address in the
      master record. Enroll again to move a node or to replace its key (a node whose key may
      have leaked). Get the key on the node, as the agent's OS user:
        baton-agent print-public-key > n1.pub
      """);

  @Override
  public CommandSpec spec() {
    return SPEC;
  }

  @Override
  public ExitCode run(ParsedArguments args, Session session) {
    String cluster = Arguments.cluster(args);
    String node = args.argument(1);
    if (!Names.isValid(node)) {
      throw args.usageError("NODE: '" + Printable.escape(node) + "' is not a valid name");
    }
    String host = args.value("--host")
        .orElseThrow(() -> args.usageError("--host is required"));
    if (!Hosts.isValid(host)) {
      throw args.usageError("--host: '" + Printable.escape(host) + "' is not a host name (RFC"
          + " 1123) or an IP address");
    }
    int port = port(args);
    Path keyFile = Path.of(args.value("--public-key")
        .orElseThrow(() -> args.usageError("--public-key is required")));
    PublicKey nodeKey;
    try {
      nodeKey = KeyFiles.readPublicKey(keyFile);
    } catch (KeyFiles.KeyFileException | java.io.UncheckedIOException e) {
      throw args.usageError("--public-key: " + e.getMessage());
    }
    OperatorKey operator = session.operatorKey(args);
    Duration timeout = Arguments.duration(args, "--timeout");
    Enrollment enrollment;
    try {
      enrollment = Enroller.enroll(
          session.kafka(args).connection(), operator, cluster, node, host, port, nodeKey, timeout);
    } catch (KafkaException | IllegalStateException e) {
      throw new KafkaUnavailableException(e.getMessage(), e);
    }
    session.out().println("enrolled " + enrollment.key() + " at " + Hosts.withPort(host, port)
        + " with key " + enrollment.publicKey() + ", signed by " + enrollment.enrolledBy());
    return ExitCode.OK;
  }

  private static int port(ParsedArguments args) {
    String text = args.value("--port").orElseThrow(() -> args.usageError("--port is required"));
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // the usage error below says what is wrong
    }
    throw args.usageError("--port: '" + Printable.escape(text) + "' is not a port (1 to 65535)");
  }
}
