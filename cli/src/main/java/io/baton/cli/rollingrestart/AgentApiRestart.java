package io.baton.cli.rollingrestart;

import io.baton.client.apiaccess.ApiAccess;
import io.baton.events.Printable;
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
 * the safety net should the plan ever point at one. Presents the operator token from {@code
 * BATON_API_TOKEN_FILE} (see {@link ApiAccess}).
 */
public final class AgentApiRestart implements RestartHook {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ApiAccess access;
  private final HttpClient http;

  public AgentApiRestart(ApiAccess access) {
    this.access = access;
    this.http = access.httpClient(TIMEOUT);
  }

  @Override
  public String describe(RestartTarget target) {
    if (target.agentUrl().isEmpty()) {
      return "the agent's API (no URL known)";
    }
    try {
      return "POST " + restartUri(target.agentUrl().get());
    } catch (IllegalArgumentException e) {
      return "the agent's API (its URL is not valid)";
    }
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
    URI uri;
    try {
      uri = restartUri(target.agentUrl().get());
    } catch (IllegalArgumentException e) {
      return new Outcome(false, false, target.node() + "'s heartbeat carries an agent API URL"
          + " that is not an http(s) URL of a host: " + Printable.quote(target.agentUrl().get())
          + "; restart it with --restart-command instead");
    }
    try {
      HttpResponse<String> response = http.send(
          access.authorize(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
              .POST(HttpRequest.BodyPublishers.noBody())).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 == 2) {
        return new Outcome(true, false, "the agent accepted the restart");
      }
      return new Outcome(false, false, "POST " + uri + " answered " + response.statusCode()
          + access.hintFor(response.statusCode()) + ": "
          + Printable.escape(response.body().strip()));
    } catch (IOException e) {
      return new Outcome(false, false, "POST " + uri + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, false, "interrupted while calling " + uri);
    }
  }

  /** {@code <agent>/restart}; throws when the agent's URL is not one to call (see AgentUrl). */
  static URI restartUri(String agentUrl) {
    AgentUrl.require(agentUrl);
    return URI.create(agentUrl.replaceAll("/+$", "") + "/restart");
  }
}
