package io.baton.agent.handover;

import io.baton.client.apiaccess.ApiAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code baton-agent handover [--url http://127.0.0.1:8008] [--timeout 25s]}: the preStop exec
 * hook. Without {@code --url} it asks {@code BATON_AGENT_URL}, else the agent on this host at
 * {@code MICRONAUT_SERVER_PORT} (default 8008), so it finds the agent configured alongside it.
 * It presents the token in the file {@code BATON_API_TOKEN_FILE} names (the agent's handover or
 * operator token) and trusts the certificates in {@code BATON_API_CA_FILE} for https: never a
 * secret on the command line. Asks the local agent to hand over and exits 0 when it did (or the
 * node is a standby), 1 when it was refused or failed, 2 when the agent cannot be reached, 3 when
 * the deadline passed, 64 on a usage error.
 */
public final class HandoverCommand {
  private HandoverCommand() {}

  public static void main(String[] args) {
    String url =
        System.getenv().getOrDefault(
            "BATON_AGENT_URL",
            "http://127.0.0.1:" + System.getenv().getOrDefault("MICRONAUT_SERVER_PORT", "8008"));
    Duration timeout = Duration.ofSeconds(25);
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--url")) {
        url = args[i + 1];
      } else if (args[i].equals("--timeout")) {
        timeout = Duration.parse("PT" + args[i + 1].toUpperCase(java.util.Locale.ROOT));
      } else {
        System.err.println("usage: baton-agent handover [--url URL] [--timeout 25s]");
        System.exit(64);
      }
    }
    ApiAccess access;
    try {
      access = ApiAccess.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException | UncheckedIOException e) {
      System.err.println("baton-agent handover: " + e.getMessage());
      System.exit(64);
      return;
    }
    System.exit(run(url, timeout, access));
  }

  static int run(String url, Duration timeout, ApiAccess access) {
    HttpClient client = access.httpClient(Duration.ofSeconds(2));
    HttpRequest request =
        access.authorize(HttpRequest.newBuilder(
                URI.create(url + "/handover?timeout=" + timeout.toSeconds() + "s"))
            .timeout(timeout.plusSeconds(2))
            .POST(HttpRequest.BodyPublishers.noBody()))
            .build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      System.out.println(response.body());
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        System.err.println("the agent refused the handover: " + response.statusCode()
            + access.hintFor(response.statusCode()));
      }
      return switch (response.statusCode()) {
        case 200 -> 0;
        case 504 -> 3;
        default -> 1;
      };
    } catch (IOException e) {
      System.err.println("cannot reach the agent at " + url + ": " + e);
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 3;
    }
  }
}
