package io.baton.coordinator.api;

import io.baton.coordinator.CoordinatorService;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/** {@code GET /health}: 200 while the Streams application runs, 503 otherwise. */
@Controller("/health")
@Secured(SecurityRule.IS_ANONYMOUS)
public final class HealthController {
  private final CoordinatorService coordinator;

  public HealthController(CoordinatorService coordinator) {
    this.coordinator = coordinator;
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  public HttpResponse<Map<String, String>> health() {
    KafkaStreams.State state = coordinator.state();
    Map<String, String> body = Map.of("streams", state.name());
    return state == KafkaStreams.State.RUNNING
        ? HttpResponse.ok(body)
        : HttpResponse.<Map<String, String>>serverError().body(body);
  }
}
