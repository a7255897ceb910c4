package io.baton.testkit.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.testkit.process.ChildProcess;
import io.baton.testkit.process.Command;
import io.baton.testkit.process.JvmLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetworkLabIT {
  private static final int PORT = 7070;

  @Test
  void namespacesReachEachOtherAndTheRootNamespaceUntilCut() throws Exception {
    NetworkLab lab = NetworkLab.create(2);
    Namespace first = lab.namespace(1);
    Namespace second = lab.namespace(2);
    ChildProcess greeter = null;
    try {
      assertTrue(first.address().startsWith("10.77."), first.address());
      assertEquals(lab.bridgeAddress().replaceAll("\\.1$", ".11"), first.address());
      greeter = JvmLauncher.mainClass(GreeterMain.class)
          .inNamespace(first.name())
          .args(first.address(), Integer.toString(PORT))
          .start();
      greeter.awaitLogLine(l -> l.startsWith("listening"), Duration.ofSeconds(30));
      String hello = "hello from " + first.address();

      assertEquals(Optional.of(hello), greetingFromRoot(first));
      assertEquals(Optional.of(hello), greetingFrom(lab, second, first));
      assertFalse(lab.exec(first, "ip", "route").output().contains("default"),
          "a namespace must have no default route");

      lab.cut(first);
      assertEquals(Optional.empty(), greetingFromRoot(first));
      assertEquals(Optional.empty(), greetingFrom(lab, second, first));
      assertTrue(greeter.isAlive(), "processes keep running in a cut namespace");

      lab.heal(first);
      assertEquals(Optional.of(hello), eventually(() -> greetingFromRoot(first)));
      assertEquals(Optional.of(hello), greetingFrom(lab, second, first));
    } finally {
      lab.close();
    }
    assertFalse(greeter.isAlive(), "close() kills what runs in the namespaces");
    String netns = Command.of("ip", "netns", "list").runOrThrow().output();
    assertFalse(netns.contains(first.name()), netns);
    assertFalse(Command.of("ip", "link", "show").runOrThrow().output().contains(
        "bt" + first.address().split("\\.")[2] + "br"));
    assertEquals("", Command.of("ip", "route", "show", "root", lab.subnet()).runOrThrow().output());
  }

  @Test
  void concurrentLabsGetDifferentSubnets() {
    try (NetworkLab one = NetworkLab.create(1); NetworkLab two = NetworkLab.create(1)) {
      assertFalse(one.subnet().equals(two.subnet()), one + " and " + two);
      assertFalse(one.namespace(1).name().equals(two.namespace(1).name()));
    }
  }

  private static Optional<String> greetingFromRoot(Namespace target) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(target.address(), PORT), 1000);
      socket.setSoTimeout(1000);
      return Optional.ofNullable(new BufferedReader(new InputStreamReader(
          socket.getInputStream(), StandardCharsets.UTF_8)).readLine());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> greetingFrom(NetworkLab lab, Namespace from, Namespace target) {
    Command.Result result = lab.exec(from, "timeout", "2", "bash", "-c",
        "exec 3<>/dev/tcp/" + target.address() + "/" + PORT + " && head -1 <&3");
    return result.succeeded() ? Optional.of(result.output().strip()) : Optional.empty();
  }

  private interface Attempt {
    Optional<String> run() throws Exception;
  }

  private static Optional<String> eventually(Attempt attempt) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Optional<String> result = attempt.run();
    while (result.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      result = attempt.run();
    }
    return result;
  }
}
