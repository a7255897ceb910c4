package io.baton.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.cli.text.Times;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit statuses and messages of command lines that never reach Kafka. */
class BatonCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    Session session = new Session(
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of(), Clock.systemUTC(), new Times(ZoneOffset.UTC), "test");
    return BatonCli.run(List.of(args), session).code();
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsEveryCommandAndExitsZero() {
    assertEquals(0, run("--help"));
    for (String command : List.of("status", "events", "switchover", "failover", "replication-mode",
        "maintenance", "rolling-restart", "enroll", "create-operator-key")) {
      assertTrue(out().contains("\n  " + command + " "), command + " missing from:\n" + out());
    }
  }

  @Test
  void eachCommandHasItsOwnHelp() {
    assertEquals(0, run("rolling-restart", "--help"));
    assertTrue(out().startsWith("usage: baton rolling-restart CLUSTER [--catch-up-timeout DURATION]"
        + " [--timeout DURATION] [--restart-command CMD ...]\n"), out());
    assertTrue(out().contains("BATON_AGENT_URL"), out());
  }

  @Test
  void aMissingArgumentIsAUsageError() {
    assertEquals(64, run("switchover"));
    assertEquals("baton: missing CLUSTER\nusage: baton switchover CLUSTER [--to NODE] [--timeout DURATION]\n"
        + "Run 'baton switchover --help' for more.\n", err());
    assertEquals("", out());
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertEquals(64, run("status", "demo", "--jsn"));
    assertTrue(err().startsWith("baton: unknown option --jsn\nusage: baton status CLUSTER [--json]"), err());
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    assertEquals(64, run("promote", "demo"));
    assertTrue(err().startsWith("baton: unknown command 'promote'\n"), err());
  }

  @Test
  void badValuesAreUsageErrorsBeforeKafkaIsContacted() {
    assertEquals(64, run("replication-mode", "demo", "fast"));
    assertTrue(err().contains("replication mode: unknown value 'fast' (expected one of async, sync, strict-sync)"), err());
    assertEquals(64, run("maintenance", "demo", "maybe"));
    assertTrue(err().contains("maintenance: 'maybe' is neither on nor off"), err());
    assertEquals(64, run("events", "demo", "--since", "ten minutes"));
    assertTrue(err().contains("--since: 'ten minutes' is not a duration such as 30s, 10m or 1h30m"), err());
    assertEquals(64, run("switchover", "Demo!"));
    assertTrue(err().contains("CLUSTER: 'Demo!' is not a valid name"), err());
    assertEquals(64, run("switchover", "demo", "--to", "N2"));
    assertTrue(err().contains("--to: 'N2' is not a valid name"), err());
    assertEquals(64, run("rolling-restart", "demo", "--timeout", "0s"));
    assertTrue(err().contains("--timeout must be longer than 0"), err());
  }

  @Test
  void badKafkaSettingsAreUsageErrors() {
    assertEquals(64, run("status", "demo", "--topic-prefix", "baton prod"));
    assertTrue(err().contains("--topic-prefix: field 'prefix' 'baton prod' may only hold letters"), err());
    assertEquals(64, run("status", "demo", "--kafka-properties", "/nonexistent/client.properties"));
    assertTrue(err().contains("cannot read the Kafka properties file /nonexistent/client.properties"), err());
  }

  @Test
  void exitCodesKeepTheirMeaning() {
    assertEquals(List.of(0, 1, 3, 64, 69, 70),
        Arrays.stream(ExitCode.values()).map(ExitCode::code).toList());
  }

  @TempDir java.nio.file.Path keys;

  /** Requests are signed: without a usable operator key nothing is sent, and the error says how. */
  @Test
  void aRequestWithoutAUsableOperatorKeyIsAUsageErrorBeforeKafkaIsContacted() throws Exception {
    assertEquals(64, run("switchover", "demo", "--operator-key", keys.resolve("none").toString()));
    assertTrue(err().contains("no key file " + keys.resolve("none")), err());
    assertTrue(err().contains("baton create-operator-key"), err());
    assertEquals(64, run("maintenance", "demo", "on", "--operator", "Root!"));
    assertTrue(err().contains("--operator: 'Root!' is not a valid operator name"), err());
  }

  @Test
  void createOperatorKeyWritesAnOwnerOnlyKeyAndPrintsTheCoordinatorsLine() throws Exception {
    java.nio.file.Path file = keys.resolve("alice.key");
    assertEquals(0, run("create-operator-key", "--operator", "alice", "--out", file.toString()));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        java.nio.file.Files.getPosixFilePermissions(file)));
    String line = out().strip();
    assertTrue(line.matches("alice MCowBQYDK2VwAyEA[A-Za-z0-9+/]{43}="), line);
    assertEquals(line.substring("alice ".length()), io.baton.events.signing.Ed25519.encode(
        io.baton.events.signing.Ed25519.publicKeyOf(
            io.baton.client.keys.KeyFiles.readPrivateKey(file))));
    assertEquals(64, run("create-operator-key", "--out", file.toString()));
    assertTrue(err().contains("exists already: not replacing a key"), err());
  }

  @Test
  void enrollChecksItsValuesBeforeKafkaIsContacted() throws Exception {
    java.nio.file.Path pub = keys.resolve("n1.pub");
    java.nio.file.Files.writeString(pub, io.baton.client.keys.KeyFiles.publicKeyPem(
        io.baton.events.signing.Ed25519.generate().getPublic()));
    assertEquals(64, run("enroll", "demo", "n1", "--port", "5432", "--public-key", pub.toString()));
    assertTrue(err().contains("--host is required"), err());
    assertEquals(64, run("enroll", "demo", "n1", "--host", "10.0.0.1\nprogram x", "--port",
        "5432", "--public-key", pub.toString()));
    assertTrue(err().contains("is not a host name"), err());
    assertEquals(64, run("enroll", "demo", "n1", "--host", "db1", "--port", "70000",
        "--public-key", pub.toString()));
    assertTrue(err().contains("--port: '70000' is not a port"), err());
    assertEquals(64, run("enroll", "demo", "N1", "--host", "db1", "--port", "5432",
        "--public-key", pub.toString()));
    assertTrue(err().contains("NODE: 'N1' is not a valid name"), err());
    java.nio.file.Path bad = keys.resolve("bad.pub");
    java.nio.file.Files.writeString(bad, "hello\n");
    assertEquals(64, run("enroll", "demo", "n1", "--host", "db1", "--port", "5432",
        "--public-key", bad.toString()));
    assertTrue(err().contains("holds no Ed25519 public key"), err());
  }
}
