package io.baton.testkit.kafka;

import io.baton.testkit.process.JvmLauncher;
import io.baton.testkit.process.Processes;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the stock {@code kafka-console-consumer} ({@code
 * org.apache.kafka.tools.consumer.ConsoleConsumer} from kafka-tools, the same code as the shell
 * script) in a child JVM, the way an operator would inspect Baton's topics, and returns what it
 * printed on stdout. Its stderr and its logging are left out of the result and shown only when
 * the run fails.
 *
 * <p>{@code --property} is passed on as {@code --formatter-property}, its new name in Kafka 4:
 * the old name still works but makes the consumer print a deprecation warning on stdout, among
 * the records.
 *
 * <p>Typical use: {@code run(bootstrap, "baton.master", Duration.ofSeconds(30), "--from-beginning",
 * "--property", "print.key=true", "--max-messages", "3")}. Prefer {@code --max-messages}: it ends
 * cleanly, while {@code --timeout-ms} ends with an error.
 */
public final class ConsoleConsumerTool {
  private static final String MAIN_CLASS = "org.apache.kafka.tools.consumer.ConsoleConsumer";
  /** Keeps the child's logging on stderr, whatever logging set-up the test classpath has. */
  private static final String LOGGING_CONFIG =
      "io/baton/testkit/kafka/console-consumer-logback.xml";

  private ConsoleConsumerTool() {}

  /**
   * Runs the consumer until it exits and returns its stdout lines.
   *
   * @throws IllegalStateException when it runs longer than {@code timeout} (it is killed) or
   *     exits with an error; the message holds what it printed on both streams
   */
  public static List<String> run(
      String bootstrapServers, String topic, Duration timeout, String... extraArgs) {
    List<String> args = new ArrayList<>(List.of(
        "--bootstrap-server", bootstrapServers, "--topic", topic));
    for (String arg : extraArgs) {
      args.add(arg.equals("--property") ? "--formatter-property" : arg);
    }
    List<String> command = JvmLauncher.mainClass(MAIN_CLASS)
        .args(args)
        .systemProperty("logback.configurationFile", LOGGING_CONFIG)
        .withoutParentPid()
        .command();
    Path stdout = null;
    Path stderr = null;
    try {
      stdout = Files.createTempFile("console-consumer-", ".out");
      stderr = Files.createTempFile("console-consumer-", ".err");
      Process process = new ProcessBuilder(command)
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      Processes.register(process.toHandle(), "console-consumer " + topic);
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        Processes.killTree(process.toHandle());
        throw new IllegalStateException("kafka-console-consumer on " + topic
            + " did not finish within " + timeout + " (killed)" + printed(stdout, stderr));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("kafka-console-consumer on " + topic + " exited with "
            + process.exitValue() + printed(stdout, stderr));
      }
      return Files.readAllLines(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not run kafka-console-consumer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running kafka-console-consumer", e);
    } finally {
      deleteQuietly(stdout);
      deleteQuietly(stderr);
    }
  }

  private static String printed(Path stdout, Path stderr) throws IOException {
    return "; stdout:\n" + Files.readString(stdout).strip() + "\nstderr:\n"
        + Files.readString(stderr).strip();
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // an empty temp file left behind is harmless
      }
    }
  }
}
