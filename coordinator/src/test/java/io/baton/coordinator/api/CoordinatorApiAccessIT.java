package io.baton.coordinator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.client.apiaccess.ApiAccess;
import io.baton.client.apiaccess.ApiToken;
import io.baton.testkit.kafka.TestKafka;
import io.baton.testkit.tls.CertificateAuthority;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, finding 4: the coordinator's API changes state only for the operator's token, over
 * https when configured, and bounds how long a request waits. Reads and health stay open.
 */
class CoordinatorApiAccessIT {
  private static final String OPERATOR = "operator-0123456789abcdef0123456789abcdef";
  private static final String HANDOVER = "handover-0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  private Map<String, Object> config() throws Exception {
    String prefix = "api-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Files.writeString(dir.resolve("operator.token"), OPERATOR + "\n");
    Files.writeString(dir.resolve("handover.token"), HANDOVER + "\n");
    Map<String, Object> config = new HashMap<>(Map.of(
        "micronaut.server.port", -1,
        "baton.kafka.bootstrap-servers", TestKafka.bootstrapServers(),
        "baton.kafka.topic-prefix", prefix,
        "baton.topics.partitions", 1,
        "baton.coordinator.application-id", prefix + "coordinator",
        "baton.coordinator.state-directory", dir.resolve("state").toString(),
        "baton.api.operator-token-file", dir.resolve("operator.token").toString(),
        "baton.api.handover-token-file", dir.resolve("handover.token").toString()));
    return config;
  }

  @Test
  void stateChangesNeedTheOperatorTokenAndWaitsAreBounded() throws Exception {
    try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config())) {
      HttpClient http = HttpClient.newHttpClient();
      String api = "http://127.0.0.1:" + server.getPort();

      assertEquals(401, switchover(http, api, Optional.empty(), "").statusCode(),
          "no token: refused");
      assertEquals(401, switchover(http, api, Optional.of("x".repeat(40)), "").statusCode(),
          "a wrong token: refused");
      assertEquals(403, switchover(http, api, Optional.of(HANDOVER), "").statusCode(),
          "the handover token may not ask for a switchover");
      HttpResponse<String> maintenance = http.send(HttpRequest.newBuilder(
              URI.create(api + "/clusters/orders/maintenance"))
          .header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\": true}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, maintenance.statusCode(), maintenance.body());

      HttpResponse<String> tooLong = switchover(http, api, Optional.of(OPERATOR), "?wait=10m");
      assertEquals(400, tooLong.statusCode(), tooLong.body());
      assertTrue(tooLong.body().contains("longest wait of 60 s"), tooLong.body());

      HttpResponse<String> answered = switchover(http, api, Optional.of(OPERATOR), "?wait=2s");
      assertTrue(answered.statusCode() == 409 || answered.statusCode() == 202,
          "the operator's request reached the coordinator: " + answered.statusCode() + " "
              + answered.body());

      for (String open : List.of("/health", "/clusters", "/clusters/orders")) {
        int status = http.send(HttpRequest.newBuilder(URI.create(api + open)).GET().build(),
            HttpResponse.BodyHandlers.ofString()).statusCode();
        assertTrue(status != 401 && status != 403, open + " stays open to probes: " + status);
      }
    }
  }

  @Test
  void theApiCanBeServedOverHttpsWithCertificateAndKeyFromFiles() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create(dir, "Baton test CA");
    CertificateAuthority.ServerCertificate cert = ca.issue("coordinator", List.of("127.0.0.1"));
    Map<String, Object> config = config();
    config.put("micronaut.server.ssl.enabled", true);
    config.put("micronaut.server.ssl.port", -1);
    config.put("micronaut.server.ssl.key-store.certificate-path", "file:" + cert.certificate());
    config.put("micronaut.server.ssl.key-store.key-path", "file:" + cert.key());
    try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config)) {
      assertEquals("https", server.getScheme());
      ApiAccess access = new ApiAccess(Optional.of(ApiToken.of("test", OPERATOR)),
          Optional.of(ca.certificate()));
      HttpClient http = access.httpClient(Duration.ofSeconds(5));
      String api = "https://127.0.0.1:" + server.getPort();
      HttpResponse<String> refused = switchover(http, api, Optional.empty(), "");
      assertEquals(401, refused.statusCode(), refused.body());
      HttpResponse<String> answered = switchover(http, api, Optional.of(OPERATOR), "?wait=2s");
      assertTrue(answered.statusCode() == 409 || answered.statusCode() == 202,
          answered.statusCode() + " " + answered.body());
    }
  }

  private static HttpResponse<String> switchover(
      HttpClient http, String api, Optional<String> token, String query) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api + "/clusters/orders/switchover" + query))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"to\": \"n2\"}"));
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
