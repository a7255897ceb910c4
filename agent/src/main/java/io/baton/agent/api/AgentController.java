package io.baton.agent.api;

import io.baton.agent.AgentService;
import io.baton.agent.convergence.Observed;
import io.baton.agent.handover.Handover;
import io.baton.agent.supervisor.Supervisor;
import io.baton.events.EventCodec;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.baton.runtime.apiaccess.ApiRoles;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's HTTP API: health checks a load balancer can use ({@code /primary} answers 200 only
 * while this node may accept writes) and the status, open to anyone who reaches the port; the
 * preStop handover and a restart for rolling restarts, for a bearer token only (see {@link
 * ApiRoles}). No GET changes anything: a browser sends GETs cross-site on its own.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public final class AgentController {
  private final AgentService agent;

  public AgentController(AgentService agent) {
    this.agent = agent;
  }

  @Secured(SecurityRule.IS_ANONYMOUS)
  @Get(value = "/health", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> health() {
    Observed observed = Observed.of(agent.supervisor().observed());
    boolean up = observed == Observed.RUNNING_PRIMARY || observed == Observed.RUNNING_STANDBY;
    return answer(up, Map.of("postgres", observed.name().toLowerCase(java.util.Locale.ROOT)));
  }

  /** 200 only while PostgreSQL accepts writes under an assignment and a valid lease. */
  @Secured(SecurityRule.IS_ANONYMOUS)
  @Get(value = "/primary", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> primary() {
    Supervisor s = agent.supervisor();
    boolean writable =
        agent.started()
            && Observed.of(s.observed()) == Observed.RUNNING_PRIMARY
            && s.assignedPrimary()
            && s.leaseValid()
            && !s.fenced();
    return answer(writable, Map.of("primary", writable));
  }

  @Secured(SecurityRule.IS_ANONYMOUS)
  @Get(value = "/replica", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> replica() {
    Supervisor s = agent.supervisor();
    boolean streaming =
        Observed.of(s.observed()) == Observed.RUNNING_STANDBY
            && s.observed().receiver().filter(r -> r.isStreaming()).isPresent();
    return answer(streaming, Map.of("replica", streaming));
  }

  @Secured(SecurityRule.IS_ANONYMOUS)
  @Get(value = "/status", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> status() {
    return HttpResponse.ok(EventCodec.writeString(agent.supervisor().heartbeat()))
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  /**
   * preStop: hand the primary role over (or mark a standby leaving); waits up to the deadline.
   * POST only: a Kubernetes preStop hook runs {@code baton-agent handover} (exec) instead of an
   * httpGet, which could only send GET.
   */
  @Secured({ApiRoles.OPERATOR, ApiRoles.HANDOVER})
  @Post(value = "/handover", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> handover(@QueryValue Optional<Duration> timeout) {
    Handover.Result result = agent.handover(timeout.orElse(Duration.ofSeconds(25)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ok", result.ok());
    body.put("message", result.message());
    HttpStatus status =
        result.ok() ? HttpStatus.OK : result.exitStatus() == 3 ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.CONFLICT;
    return HttpResponse.<String>status(status)
        .contentType(MediaType.APPLICATION_JSON_TYPE)
        .body(EventCodec.writeString(body));
  }

  /**
   * Restarts PostgreSQL in its current role (a rolling restart's default hook). Refused on the
   * assigned primary unless forced: switch over first.
   */
  @Secured(ApiRoles.OPERATOR)
  @Post(value = "/restart", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> restart(@QueryValue Optional<Boolean> force) {
    if (agent.supervisor().assignedPrimary() && !force.orElse(false)) {
      return HttpResponse.<String>status(HttpStatus.CONFLICT)
          .contentType(MediaType.APPLICATION_JSON_TYPE)
          .body(EventCodec.writeString(Map.of(
              "ok", false, "message", "this node is the primary: switch over first, or use ?force=true")));
    }
    agent.supervisor().requestRestart("restart requested over HTTP");
    return HttpResponse.<String>status(HttpStatus.ACCEPTED)
        .contentType(MediaType.APPLICATION_JSON_TYPE)
        .body(EventCodec.writeString(Map.of("ok", true, "message", "restarting PostgreSQL")));
  }

  private static HttpResponse<String> answer(boolean ok, Map<String, ?> body) {
    return HttpResponse.<String>status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .contentType(MediaType.APPLICATION_JSON_TYPE)
        .body(EventCodec.writeString(body));
  }
}
