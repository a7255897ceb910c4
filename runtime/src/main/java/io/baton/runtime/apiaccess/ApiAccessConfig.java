package io.baton.runtime.apiaccess;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The tokens of the HTTP API ({@code baton.api.*}), each in a file whose first line is the token.
 * With neither set, every state-changing request is refused; reads and health checks stay open.
 *
 * @param operatorTokenFile the token of the {@value ApiRoles#OPERATOR} role: every request
 * @param handoverTokenFile the token of the {@value ApiRoles#HANDOVER} role: only the agent's
 *     {@code POST /handover}
 */
@ConfigurationProperties("baton.api")
public record ApiAccessConfig(Optional<Path> operatorTokenFile, Optional<Path> handoverTokenFile) {
  public ApiAccessConfig {
    operatorTokenFile = operatorTokenFile == null ? Optional.empty() : operatorTokenFile;
    handoverTokenFile = handoverTokenFile == null ? Optional.empty() : handoverTokenFile;
  }
}
