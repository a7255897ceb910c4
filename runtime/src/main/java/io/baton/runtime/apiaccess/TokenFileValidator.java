package io.baton.runtime.apiaccess;

import io.baton.client.apiaccess.ApiToken;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Accepts a bearer token equal to one in the configured files and grants that file's role. The
 * files are read at start (a missing or weak token stops the process with the key's name) and
 * again for every request, so a rotated token takes effect without a restart.
 */
@Context
public final class TokenFileValidator implements TokenValidator<HttpRequest<?>> {
  private static final Logger LOG = LoggerFactory.getLogger(TokenFileValidator.class);

  private final Map<String, Path> files = new LinkedHashMap<>();

  public TokenFileValidator(ApiAccessConfig settings) {
    settings.operatorTokenFile().ifPresent(f -> files.put(ApiRoles.OPERATOR, f));
    settings.handoverTokenFile().ifPresent(f -> files.put(ApiRoles.HANDOVER, f));
    files.forEach((role, file) -> {
      try {
        ApiToken.fromFile("baton.api." + role + "-token-file", file);
      } catch (IllegalArgumentException | UncheckedIOException e) {
        throw new ConfigurationException(e.getMessage(), e);
      }
    });
    if (files.isEmpty()) {
      LOG.warn("no API token configured (baton.api.operator-token-file): every state-changing"
          + " HTTP request is refused");
    }
  }

  @Override
  public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
    return Mono.justOrEmpty(roleOf(token))
        .map(role -> Authentication.build(role, List.of(role)));
  }

  private Optional<String> roleOf(String presented) {
    for (Map.Entry<String, Path> entry : files.entrySet()) {
      try {
        if (ApiToken.fromFile("baton.api." + entry.getKey() + "-token-file", entry.getValue())
            .matches(presented)) {
          return Optional.of(entry.getKey());
        }
      } catch (IllegalArgumentException | UncheckedIOException e) {
        LOG.warn("cannot check a request's token against the {} token: {}", entry.getKey(),
            e.getMessage());
      }
    }
    return Optional.empty();
  }
}
