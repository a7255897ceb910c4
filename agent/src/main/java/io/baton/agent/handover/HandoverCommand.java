package io.baton.agent.handover;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code baton-agent handover [--url http://127.0.0.1:8008] [--timeout 25s]}: the preStop exec
 * hook. Without {@code --url} it asks {@code BATON_AGENT_URL}, else the agent on this host at
 * {@code MICRONAUT_SERVER_PORT} (default 8008), so it finds the agent configured alongside it. Asks the local agent to hand over and exits 0 when it did (or the node is a standby), 1
 * when it was refused or failed, 2 when the agent cannot be reached, 3 when the deadline passed.
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
    System.exit(run(url, timeout));
  }

  static int run(String url, Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/handover?timeout=" + timeout.toSeconds() + "s"))
            .timeout(timeout.plusSeconds(2))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      System.out.println(response.body());
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
