package io.baton.testkit.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.testkit.process.ChildProcess;
import io.baton.testkit.process.Command;
import io.baton.testkit.process.JvmLauncher;
import io.baton.testkit.process.Processes;
import io.baton.testkit.process.Signal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShutdownCleanupIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aTerminatedTestJvmLeavesNothingBehind() {
    ChildProcess leaky = JvmLauncher.mainClass(LeakyMain.class)
        .jvmOptions(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
        .start();
    leaky.awaitLogLine("ready"::equals, WAIT);
    String namespace = value(leaky, "namespace");
    String[] kafka = value(leaky, "kafka").split(":");
    String[] postgres = value(leaky, "postgres").split(" ");
    long postmaster = Long.parseLong(postgres[1]);
    long child = Long.parseLong(value(leaky, "child"));
    assertTrue(Processes.isRunning(postmaster) && Processes.isRunning(child));

    leaky.signal(Signal.TERM);
    assertEquals(143, leaky.waitFor(WAIT).orElseThrow(), String.join("\n", leaky.lines()));

    assertFalse(Processes.isRunning(child), "child JVM survived");
    assertFalse(Processes.isRunning(postmaster), "postmaster survived");
    assertFalse(Files.exists(Path.of(postgres[0])), "cluster directory left behind");
    assertFalse(accepts(kafka[0], Integer.parseInt(kafka[1])), "broker still listening");
    assertFalse(Command.of("ip", "netns", "list").runOrThrow().output().contains(namespace),
        "namespace left behind");
  }

  private static String value(ChildProcess process, String key) {
    return process.awaitLogLine(l -> l.startsWith(key + " "), WAIT).substring(key.length() + 1);
  }

  private static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
