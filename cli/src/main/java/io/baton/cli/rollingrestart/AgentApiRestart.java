package io.baton.cli.rollingrestart;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The default hook: {@code POST <agent>/restart}, which the agent answers with 202 and carries
 * out at its loop's next turn. Never forced: the agent refuses on the assigned primary, which is
 * the safety net should the plan ever point at one.
 */
public final class AgentApiRestart implements RestartHook {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  @Override
  public String describe(RestartTarget target) {
    return target.agentUrl().map(url -> "POST " + restartUri(url)).orElse("the agent's API (no URL known)");
  }

  @Override
  public Running start(RestartTarget target) {
    Outcome outcome = post(target);
    return new Running() {
      @Override
      public Optional<Outcome> outcome() {
        return Optional.of(outcome);
      }

      @Override
      public void cancel() {
        // The request was answered already; there is nothing left to stop.
      }
    };
  }

  private Outcome post(RestartTarget target) {
    if (target.agentUrl().isEmpty()) {
      return new Outcome(false, false, target.node() + "'s heartbeat carries no agent API URL:"
          + " restart it with --restart-command instead");
    }
    URI uri = restartUri(target.agentUrl().get());
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(uri).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 == 2) {
        return new Outcome(true, false, "the agent accepted the restart");
      }
      return new Outcome(false, false, "POST " + uri + " answered " + response.statusCode() + ": "
          + response.body().strip());
    } catch (IOException e) {
      return new Outcome(false, false, "POST " + uri + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, false, "interrupted while calling " + uri);
    }
  }

  static URI restartUri(String agentUrl) {
    return URI.create(agentUrl.replaceAll("/+$", "") + "/restart");
  }
}
