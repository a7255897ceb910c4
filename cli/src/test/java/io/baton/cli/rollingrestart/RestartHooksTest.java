package io.baton.cli.rollingrestart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import io.baton.client.apiaccess.ApiAccess;
import io.baton.client.apiaccess.ApiToken;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestartHooksTest {
  private static final RestartTarget N2 =
      new RestartTarget("demo", "n2", "10.0.0.2", 5432, Optional.of("http://10.0.0.2:8080/"));

  private static RestartHook.Outcome await(RestartHook.Running running) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (running.outcome().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return running.outcome().orElseThrow();
  }

  @Test
  void theCommandGetsTheNodeInItsEnvironmentAndItsOutputIsShown() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    CommandRestart hook = new CommandRestart(
        List.of("sh", "-c", "echo $BATON_CLUSTER $BATON_NODE $BATON_HOST $BATON_PORT $BATON_AGENT_URL"), out);

    RestartHook.Outcome outcome = await(hook.start(N2));

    assertEquals(new RestartHook.Outcome(true, true, "the restart command exited 0"), outcome);
    assertEquals("           n2| demo n2 10.0.0.2 5432 http://10.0.0.2:8080/\n", bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theCommandsArgumentsAreNotInterpretedByAShell() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CommandRestart hook = new CommandRestart(List.of("echo", "$BATON_NODE;", "*"),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));

    await(hook.start(N2));

    assertEquals("           n2| $BATON_NODE; *\n", bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aFailingCommandFailsTheStepWithItsStatus() throws Exception {
    CommandRestart hook = new CommandRestart(List.of("sh", "-c", "exit 3"), new PrintStream(new ByteArrayOutputStream()));

    RestartHook.Outcome outcome = await(hook.start(N2));

    assertEquals(new RestartHook.Outcome(false, false, "the restart command exited with status 3"), outcome);
  }

  @Test
  void aMissingCommandFailsAtOnce() {
    CommandRestart hook = new CommandRestart(List.of("/nonexistent/restart-node"), new PrintStream(new ByteArrayOutputStream()));

    RestartHook.Outcome outcome = hook.start(N2).outcome().orElseThrow();

    assertFalse(outcome.succeeded());
    assertTrue(outcome.message().startsWith("cannot run /nonexistent/restart-node"), outcome.message());
  }

  @Test
  void theAgentApiIsPostedToAndItsRefusalReported() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> calls = new ArrayList<>();
    server.createContext("/restart", exchange -> {
      calls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
      byte[] body = "{\"ok\":false,\"message\":\"this node is the primary\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(409, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
      RestartTarget target = new RestartTarget("demo", "n1", "127.0.0.1", 5431, Optional.of(url));

      RestartHook.Outcome outcome = new AgentApiRestart(ApiAccess.anonymous()).start(target).outcome().orElseThrow();

      assertEquals(List.of("POST /restart"), calls);
      assertEquals(new RestartHook.Outcome(false, false, "POST " + url + "restart answered 409:"
          + " {\"ok\":false,\"message\":\"this node is the primary\"}"), outcome);
    } finally {
      server.stop(0);
    }
  }

  /** Issue 9: the agent's restart needs the operator token, sent as a bearer token. */
  @Test
  void theAgentApiIsCalledWithTheTokenAndARefusalSaysWhy() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> authorizations = new ArrayList<>();
    server.createContext("/restart", exchange -> {
      String presented = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(String.valueOf(presented));
      exchange.sendResponseHeaders(presented == null ? 401 : 202, -1);
      exchange.close();
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      RestartTarget target = new RestartTarget("demo", "n1", "127.0.0.1", 5431, Optional.of(url));
      String token = "0123456789abcdef0123456789abcdef";
      ApiAccess withToken = new ApiAccess(Optional.of(ApiToken.of("test", token)), Optional.empty());

      RestartHook.Outcome accepted = new AgentApiRestart(withToken).start(target).outcome().orElseThrow();
      RestartHook.Outcome refused =
          new AgentApiRestart(ApiAccess.anonymous()).start(target).outcome().orElseThrow();

      assertEquals(List.of("Bearer " + token, "null"), authorizations);
      assertTrue(accepted.succeeded(), accepted.message());
      assertFalse(refused.succeeded());
      assertTrue(refused.message().contains("401 (no token: set BATON_API_TOKEN_FILE"),
          refused.message());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void withoutAnAgentUrlTheApiCannotBeUsed() {
    RestartTarget target = new RestartTarget("demo", "n2", "10.0.0.2", 5432, Optional.empty());

    RestartHook.Outcome outcome = new AgentApiRestart(ApiAccess.anonymous()).start(target).outcome().orElseThrow();

    assertEquals(new RestartHook.Outcome(false, false,
        "n2's heartbeat carries no agent API URL: restart it with --restart-command instead"), outcome);
  }

  @Test
  void aCommandGetsOnlyValidValuesInItsEnvironment() {
    for (RestartTarget hostile : List.of(
        new RestartTarget("demo", "n2", "10.0.0.2\nBATON_NODE=n1", 5432, Optional.empty()),
        new RestartTarget("demo", "n2", "10.0.0.2;reboot", 5432, Optional.empty()),
        new RestartTarget("demo", "n2", "$(reboot)", 5432, Optional.empty()),
        new RestartTarget("demo", "n2\nBATON_NODE=n1", "10.0.0.2", 5432, Optional.empty()),
        new RestartTarget("demo", "n2", "10.0.0.2", 0, Optional.empty()),
        new RestartTarget("demo", "n2", "10.0.0.2", 5432, Optional.of("http://10.0.0.2:8080/\nx")),
        new RestartTarget("demo", "n2", "10.0.0.2", 5432, Optional.of("http://evil@10.0.0.2/")),
        new RestartTarget("demo", "n2", "10.0.0.2", 5432, Optional.of("file:///etc/passwd")))) {
      assertThrows(IllegalArgumentException.class, () -> CommandRestart.environment(hostile),
          hostile.toString());
    }
    Map<String, String> ipv6 = CommandRestart.environment(new RestartTarget("demo", "n2",
        "fd00::2", 5432, Optional.of("http://[fd00::2]:8008")));
    assertEquals("fd00::2", ipv6.get("BATON_HOST"));
    assertEquals("http://[fd00::2]:8008", ipv6.get("BATON_AGENT_URL"));
  }

  @Test
  void theAgentApiIsCalledOnlyAtAnHttpUrlOfAValidHost() {
    for (String url : List.of("http://evil@127.0.0.1:1/", "http://127.0.0.1:1/?x=1",
        "ftp://127.0.0.1:1/", "http://127.0.0.1_x:1/")) {
      RestartTarget target = new RestartTarget("demo", "n2", "10.0.0.2", 5432, Optional.of(url));

      RestartHook.Outcome outcome = new AgentApiRestart(ApiAccess.anonymous()).start(target).outcome().orElseThrow();

      assertFalse(outcome.succeeded(), url);
      assertTrue(outcome.message().startsWith("n2's heartbeat carries an agent API URL that is"
          + " not an http(s) URL of a host"), outcome.message());
    }
  }
}
