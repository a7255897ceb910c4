package io.baton.subscribers.http;

import io.baton.subscribers.follow.SubscriberRunner;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /metrics} for Prometheus and {@code GET /health} for supervisors: read-only, open to
 * anyone who reaches the port. Nothing here changes state; any other path is refused.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public class MetricsController {
  private final List<SubscriberRunner> runners;

  public MetricsController(List<SubscriberRunner> runners) {
    this.runners = runners;
  }

  @Get(value = "/metrics", produces = "text/plain; version=0.0.4; charset=utf-8")
  public String metrics() {
    return PrometheusText.render(runners);
  }

  /**
   * 200 when every subscriber has caught up with the master topic and its last attempt for each
   * cluster succeeded, 503 otherwise; the body says which subscriber is not.
   */
  @Get(value = "/health", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<Map<String, Object>> health() {
    Map<String, Object> subscribers = new LinkedHashMap<>();
    boolean up = true;
    for (SubscriberRunner runner : runners) {
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("ready", runner.follower().isReady());
      status.put("healthy", runner.healthy());
      runner.follower().lag().ifPresent(lag -> status.put("lag", lag));
      runner.follower().problem().ifPresent(problem -> status.put("problem", problem));
      subscribers.put(runner.name(), status);
      up &= runner.healthy();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("subscribers", subscribers);
    return HttpResponse.<Map<String, Object>>status(up ? HttpStatus.OK
        : HttpStatus.SERVICE_UNAVAILABLE).body(body);
  }
}
