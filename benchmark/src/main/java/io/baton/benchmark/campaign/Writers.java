package io.baton.benchmark.campaign;

import io.baton.benchmark.campaign.check.Write;
import io.baton.events.MasterRecord;
import io.baton.lab.ClusterChecks;
import io.baton.lab.Lab;
import io.baton.testkit.postgres.Credentials;
import io.baton.testkit.postgres.PostgresNode;
import io.baton.testkit.probe.ProbeLog;
import io.baton.testkit.probe.ProbeResults;
import io.baton.testkit.probe.ProbeWriterMain;
import io.baton.testkit.probe.WriteProbe;
import io.baton.testkit.process.ChildProcess;
import io.baton.testkit.process.Signal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The campaign's writers, each inserting a numbered row every 10 ms and stamping every attempt
 * with CLOCK_MONOTONIC: the client, in the campaign's JVM, writing to the node the newest master
 * record names (as an application following the master topic does: when the record changes it
 * reconnects at once); and beside every node, in the node's network namespace, a writer writing
 * to that node alone, keeping its session while the node is a standby, so any moment a node
 * accepts writes shows.
 */
final class Writers implements AutoCloseable {
  private static final String TIMEOUTS = "connectTimeout=1&socketTimeout=2";
  private static final Duration FIRST_WRITE = Duration.ofSeconds(120);

  private final Lab lab;
  private final String runTag;
  private final WriteProbe client;
  private final Map<String, ChildProcess> beside = new LinkedHashMap<>();
  private final Map<String, Path> logs = new LinkedHashMap<>();

  private Writers(Lab lab, String runTag, Path logDirectory) {
    this.lab = lab;
    this.runTag = runTag;
    Credentials app = lab.postgres().appCredentials();
    for (PostgresNode node : lab.postgres().nodes()) {
      Path log = logDirectory.resolve(runTag + "-writer-" + node.name() + ".log");
      logs.put(node.name(), log);
      ChildProcess writer = ProbeWriterMain.launcher(directUrl(node), app.user(), app.password(),
              runTag + "-" + node.name(), log)
          .args("--keep-connection-on-read-only")
          .name(runTag + "-writer-" + node.name())
          .inNamespace(node.namespace().orElseThrow(
              () -> new IllegalStateException("the campaign needs a lab in namespaces")))
          .start();
      beside.put(node.name(), writer);
    }
    client = WriteProbe.builder(this::masterUrl, app.user(), app.password())
        .runId(runTag + "-client").start();
  }

  /** Starts every writer and waits until the client and the primary's writer have written. */
  static Writers start(Lab lab, String runTag, Path logDirectory) throws SQLException {
    MasterRecord master = lab.master().orElseThrow();
    ClusterChecks.createProbeTable(lab, master);
    Writers writers = new Writers(lab, runTag, logDirectory);
    try {
      ClusterChecks.awaitFirstWrite(writers.client, "the client");
      Path primaryLog = writers.logs.get(master.node());
      // Three JVMs starting at once on a busy machine can take a minute.
      ClusterChecks.await(() -> hasWritten(primaryLog), FIRST_WRITE,
          () -> "the writer beside " + master.node() + " wrote nothing within " + FIRST_WRITE
              + "; its output:\n" + String.join("\n", writers.beside.get(master.node()).lines()));
      return writers;
    } catch (RuntimeException e) {
      writers.close();
      throw e;
    }
  }

  private String masterUrl() {
    PostgresNode node = lab.postgres().node(lab.master().orElseThrow().node());
    return directUrl(node);
  }

  private static String directUrl(PostgresNode node) {
    return "jdbc:postgresql://" + node.hostPort() + "/app?" + TIMEOUTS;
  }

  private static boolean hasWritten(Path log) {
    try {
      return !ProbeLog.read(log).acknowledged().isEmpty();
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  /** Whether the client had a write acknowledged that began at or after {@code nanos}. */
  boolean clientWroteSince(long nanos) {
    return client.firstAcknowledgedAfter(nanos).isPresent();
  }

  /** What every writer recorded: stops them first. */
  record Recorded(Map<String, List<Write>> besideNodes, ProbeResults client) {}

  Recorded stop() {
    beside.values().forEach(w -> w.signal(Signal.TERM));
    beside.values().forEach(w -> w.waitFor(Duration.ofSeconds(15)));
    client.close();
    Map<String, List<Write>> nodes = new LinkedHashMap<>();
    logs.forEach((node, log) -> nodes.put(node,
        ProbeLog.read(log).attempts().stream().map(Write::of).toList()));
    return new Recorded(nodes, client.results());
  }

  /** The client's sequence numbers stored on a node. */
  Set<Long> clientRowsOn(Connection connection) throws SQLException {
    Set<Long> stored = new HashSet<>();
    try (PreparedStatement select =
        connection.prepareStatement("SELECT seq FROM baton_probe WHERE run_id = ?")) {
      select.setString(1, runTag + "-client");
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          stored.add(rs.getLong(1));
        }
      }
    }
    return stored;
  }

  /** Kills whatever still writes; the logs stay, for reading the run afterwards. */
  @Override
  public void close() {
    client.close();
    beside.values().forEach(ChildProcess::close);
  }
}
