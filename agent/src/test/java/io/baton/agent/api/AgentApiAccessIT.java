package io.baton.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.events.EventCodec;
import io.baton.events.TopicNames;
import io.baton.testkit.kafka.TestKafka;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, finding 4: the agent's API changes state only for a token of the right role, a GET
 * changes nothing (a cross-site GET /handover once marked the node leaving for good), and the
 * health checks stay open for probes. The agent runs in-process against a real broker; its data
 * directory is empty, so it never starts a PostgreSQL.
 */
class AgentApiAccessIT {
  private static final String OPERATOR = "operator-0123456789abcdef0123456789abcdef";
  private static final String HANDOVER = "handover-0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  @Test
  void stateChangesNeedATokenOfTheRightRoleAndNoGetChangesAnything() throws Exception {
    String prefix = "agent-api-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    TopicNames topics = new TopicNames(prefix);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
      admin.createTopics(List.of(
          new NewTopic(topics.heartbeats(), 1, (short) 1)
              .configs(Map.of("message.timestamp.type", "LogAppendTime")),
          new NewTopic(topics.requests(), 1, (short) 1),
          new NewTopic(topics.assignments(), 1, (short) 1)
              .configs(Map.of("cleanup.policy", "compact")))).all().get();
    }
    Files.writeString(dir.resolve("operator.token"), OPERATOR + "\n");
    Files.writeString(dir.resolve("handover.token"), HANDOVER + "\n");
    Files.createDirectories(dir.resolve("data"));
    Map<String, Object> config = Map.ofEntries(
        Map.entry("micronaut.server.port", -1),
        Map.entry("baton.kafka.bootstrap-servers", TestKafka.bootstrapServers()),
        Map.entry("baton.kafka.topic-prefix", prefix),
        Map.entry("baton.agent.cluster", "orders"),
        Map.entry("baton.agent.node", "n1"),
        Map.entry("baton.agent.state-directory", dir.resolve("state").toString()),
        Map.entry("baton.postgres.data-directory", dir.resolve("data").toString()),
        Map.entry("baton.postgres.password", "unused"),
        // No PostgreSQL runs here: nothing to verify a certificate of.
        Map.entry("baton.postgres.ssl-mode", "require"),
        Map.entry("baton.api.operator-token-file", dir.resolve("operator.token").toString()),
        Map.entry("baton.api.handover-token-file", dir.resolve("handover.token").toString()));
    try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config)) {
      HttpClient http = HttpClient.newHttpClient();
      String api = "http://127.0.0.1:" + server.getPort();
      awaitStarted(http, api);

      for (String open : List.of("/health", "/primary", "/replica", "/status")) {
        int status = send(http, "GET", api + open, Optional.empty()).statusCode();
        assertTrue(status == 200 || status == 503, open + " stays open to probes: " + status);
      }

      HttpResponse<String> get = send(http, "GET", api + "/handover", Optional.empty());
      assertFalse(get.statusCode() / 100 == 2, "GET /handover answered " + get.statusCode());
      assertFalse(leaving(http, api), "a GET /handover changed nothing");

      assertEquals(401, send(http, "POST", api + "/handover", Optional.empty()).statusCode());
      assertEquals(401, send(http, "POST", api + "/restart?force=true", Optional.empty())
          .statusCode());
      assertEquals(401, send(http, "POST", api + "/handover", Optional.of("y".repeat(40)))
          .statusCode(), "a wrong token is refused");
      assertEquals(403, send(http, "POST", api + "/restart?force=true", Optional.of(HANDOVER))
          .statusCode(), "the handover token may not restart");
      assertFalse(leaving(http, api), "no refused request changed anything");

      HttpResponse<String> handover = send(http, "POST", api + "/handover", Optional.of(HANDOVER));
      assertEquals(200, handover.statusCode(), handover.body());
      assertTrue(leaving(http, api), "the handover token marks the node leaving");
      assertEquals(202, send(http, "POST", api + "/restart", Optional.of(OPERATOR)).statusCode(),
          "the operator token may restart");
    }
  }

  private static boolean leaving(HttpClient http, String api) throws Exception {
    HttpResponse<String> status = send(http, "GET", api + "/status", Optional.empty());
    return EventCodec.mapper().readTree(status.body()).get("agent").get("leaving").asBoolean();
  }

  private static void awaitStarted(HttpClient http, String api) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      // The supervisor's first heartbeat uses up sequence number 0: it has started.
      HttpResponse<String> status = send(http, "GET", api + "/status", Optional.empty());
      if (EventCodec.mapper().readTree(status.body()).get("sequence").asLong() > 0) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the agent did not start within 60 s");
  }

  private static HttpResponse<String> send(
      HttpClient http, String method, String url, Optional<String> token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.noBody());
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
