package io.baton.lab;

import io.baton.client.kafka.KafkaConnection;
import io.baton.client.keys.KeyFiles;
import io.baton.client.keys.OperatorKey;
import io.baton.client.operator.Enroller;
import io.baton.events.signing.Ed25519;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;

/**
 * The lab's keys, made as an operator would make them: an operator key ({@link Lab#OPERATOR})
 * listed in the coordinator's operator keys file, the key the coordinator's HTTP API signs its
 * requests with, and for each node a key in its agent's state directory, enrolled with the
 * node's PostgreSQL host and port before the agent first starts.
 */
final class LabIdentities {
  private final Path directory;
  private final OperatorKey operator;

  private LabIdentities(Path directory, OperatorKey operator) {
    this.directory = directory;
    this.operator = operator;
  }

  static LabIdentities create(Path directory) {
    KeyFiles.createPrivateKey(directory.resolve("operator.key"));
    KeyFiles.createPrivateKey(directory.resolve("coordinator-api.key"));
    OperatorKey operator = OperatorKey.load(Lab.OPERATOR, directory.resolve("operator.key"));
    try {
      Files.writeString(directory.resolve("operator-keys"),
          Lab.OPERATOR + " " + Ed25519.encode(Ed25519.publicKeyOf(operator.key())) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new LabIdentities(directory, operator);
  }

  OperatorKey operator() {
    return operator;
  }

  Path operatorKeyFile() {
    return directory.resolve("operator.key");
  }

  Path operatorKeysFile() {
    return directory.resolve("operator-keys");
  }

  Path httpRequestKeyFile() {
    return directory.resolve("coordinator-api.key");
  }

  /**
   * Makes the node's key where its agent looks when no key file is configured ({@code node.key}
   * in its state directory) and enrolls it, as {@code baton-agent print-public-key} and {@code
   * baton enroll} would.
   */
  void enroll(KafkaConnection kafka, String cluster, String node, String host, int port,
      Path agentStateDirectory) {
    try {
      Files.createDirectories(agentStateDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PublicKey key = KeyFiles.createPrivateKey(agentStateDirectory.resolve("node.key")).getPublic();
    Enroller.enroll(kafka, operator, cluster, node, host, port, key, Duration.ofSeconds(30));
  }
}
