package io.baton.coordinator.api;

import io.baton.client.operator.RequestClient;
import io.baton.coordinator.CoordinatorService;
import io.baton.runtime.KafkaConfig;
import io.baton.events.ClusterEvent;
import io.baton.events.EventCodec;
import io.baton.events.ReplicationMode;
import io.baton.events.RequestOutcome;
import io.baton.events.RequestedAction;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.baton.runtime.apiaccess.ApiRoles;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The coordinator's HTTP API: cluster status, and operator requests that wait for their answer.
 * Requests go through the requests topic like the CLI's, so the coordinator decides them in order
 * with everything else; the response carries every event that answered the request.
 */
@Controller("/clusters")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class ClustersController {
  private final CoordinatorService coordinator;
  private final RequestClient requests;
  private final RequestWaits waits;

  public ClustersController(
      CoordinatorService coordinator, KafkaConfig kafka, ApiWaitConfig waitSettings) {
    this.coordinator = coordinator;
    this.requests = new RequestClient(kafka.connection(), coordinator.httpRequestKey());
    this.waits = new RequestWaits(waitSettings);
  }

  @Secured(SecurityRule.IS_ANONYMOUS)
  @Get(produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> clusters() {
    return json(HttpStatus.OK, coordinator.clusters().stream().map(ClusterSummary::of).toList());
  }

  @Secured(SecurityRule.IS_ANONYMOUS)
  @Get(value = "/{cluster}", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> cluster(@PathVariable String cluster) {
    return coordinator.cluster(cluster)
        .map(state -> json(HttpStatus.OK, ClusterSummary.of(state)))
        .orElseGet(() -> json(HttpStatus.NOT_FOUND, Map.of("error", "unknown cluster " + cluster)));
  }

  /** Body: {@code {"to": "n2"}} or {@code {"from": "n1"}}, both optional. */
  @Secured(ApiRoles.OPERATOR)
  @Post(value = "/{cluster}/switchover", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> switchover(
      @PathVariable String cluster, @Body Optional<Map<String, String>> body,
      @QueryValue Optional<Duration> wait) {
    Map<String, String> fields = body.orElse(Map.of());
    return submit(
        cluster,
        new RequestedAction.Switchover(
            Optional.ofNullable(fields.get("from")), Optional.ofNullable(fields.get("to"))),
        wait);
  }

  /** Body: {@code {"to": "n3", "force": true}}, both optional. */
  @Secured(ApiRoles.OPERATOR)
  @Post(value = "/{cluster}/failover", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> failover(
      @PathVariable String cluster, @Body Optional<Map<String, Object>> body,
      @QueryValue Optional<Duration> wait) {
    Map<String, Object> fields = body.orElse(Map.of());
    return submit(
        cluster,
        new RequestedAction.Failover(
            Optional.ofNullable((String) fields.get("to")),
            Boolean.TRUE.equals(fields.get("force"))),
        wait);
  }

  /** Body: {@code {"mode": "sync"}}: async, sync or strict-sync. */
  @Secured(ApiRoles.OPERATOR)
  @Put(value = "/{cluster}/replication-mode", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> replicationMode(
      @PathVariable String cluster, @Body Map<String, String> body) {
    return submit(
        cluster,
        new RequestedAction.SetReplicationMode(ReplicationMode.of(body.getOrDefault("mode", ""))),
        Optional.empty());
  }

  /** Body: {@code {"enabled": true}}. */
  @Secured(ApiRoles.OPERATOR)
  @Put(value = "/{cluster}/maintenance", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> maintenance(
      @PathVariable String cluster, @Body Map<String, Boolean> body) {
    return submit(
        cluster, new RequestedAction.SetMaintenance(Boolean.TRUE.equals(body.get("enabled"))),
        Optional.empty());
  }

  private HttpResponse<String> submit(
      String cluster, RequestedAction action, Optional<Duration> wait) {
    RequestWaits.Admission admission = waits.admit(wait);
    if (admission instanceof RequestWaits.Refused refused) {
      return json(HttpStatus.valueOf(refused.status()), Map.of("error", refused.reason()));
    }
    try (RequestWaits.Admitted admitted = (RequestWaits.Admitted) admission) {
      return answer(requests.submit(cluster, action, admitted.waitFor(), event -> {}));
    }
  }

  private static HttpResponse<String> answer(RequestClient.Answer answer) {
    Optional<RequestOutcome> outcome = answer.last().flatMap(ClusterEvent::outcome);
    HttpStatus status;
    if (!answer.finished()) {
      status = HttpStatus.ACCEPTED;
    } else if (outcome.filter(RequestOutcome.COMPLETED::equals).isPresent()) {
      status = HttpStatus.OK;
    } else if (outcome.filter(RequestOutcome.REFUSED::equals).isPresent()) {
      status = HttpStatus.CONFLICT;
    } else {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("finished", answer.finished());
    result.put("outcome", outcome.map(RequestOutcome::wire).orElse("pending"));
    result.put("events", answer.events());
    return json(status, result);
  }

  private static HttpResponse<String> json(HttpStatus status, Object body) {
    return HttpResponse.<String>status(status)
        .contentType(MediaType.APPLICATION_JSON_TYPE)
        .body(EventCodec.writeString(body));
  }

  @PreDestroy
  void close() {
    requests.close();
  }
}
