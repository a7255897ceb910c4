package io.baton.testkit.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.tools.StorageTool;

/**
 * Writes a node's {@code server.properties} and formats its log directory with Kafka's own
 * {@code kafka-storage format}, run in this JVM: a fresh JVM per node would add seconds to every
 * start.
 */
final class KraftStorage {
  private KraftStorage() {}

  /** Writes {@code props} to {@code config} and formats the log directory it names. */
  static void writeAndFormat(Path config, Properties props, String clusterId) {
    try (OutputStream out = Files.newOutputStream(config)) {
      props.store(out, "test KRaft node " + props.getProperty("node.id"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + config, e);
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int code;
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      code = StorageTool.execute(new String[] {
          "format", "--cluster-id", clusterId, "--config", config.toString()}, print);
    }
    if (code != 0) {
      throw new IllegalStateException("formatting the Kafka log directory failed (exit " + code
          + "): " + output.toString(StandardCharsets.UTF_8));
    }
  }
}
