package io.baton.agent.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import io.baton.agent.postgres.SslMode;
import io.baton.runtime.Checks;
import io.micronaut.context.exceptions.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The local PostgreSQL ({@code baton.postgres.*}). The password comes from {@code password-file}
 * or from the environment ({@code BATON_POSTGRES_PASSWORD}), never from a command line.
 *
 * @param host where clients and standbys reach this node (and where PostgreSQL listens, unless
 *     listen-addresses says otherwise)
 * @param osUser the OS user to run PostgreSQL as when the agent runs as root
 * @param parameters more PostgreSQL settings, e.g. {@code shared_buffers: 1GB}
 * @param sslMode TLS of every connection of the agent and its standby: disable, require,
 *     verify-ca or verify-full (the default: the password goes only to a server whose
 *     certificate names the host connected to)
 * @param sslRootCertFile the certificate (PEM) of the authority that issued the nodes'
 *     certificates; needed by verify-ca and verify-full
 */
@ConfigurationProperties("baton.postgres")
public record PostgresConfig(
    @Bindable(defaultValue = "/usr/lib/postgresql/15/bin") Path binDirectory,
    Path dataDirectory,
    @Bindable(defaultValue = "127.0.0.1") String host,
    @Bindable(defaultValue = "5432") int port,
    Optional<Path> socketDirectory,
    Optional<String> listenAddresses,
    Optional<String> osUser,
    @Bindable(defaultValue = "baton_agent") String user,
    Optional<Path> passwordFile,
    Optional<String> password,
    @Bindable(defaultValue = "verify-full") String sslMode,
    Optional<Path> sslRootCertFile,
    @Bindable(defaultValue = "postgres") String database,
    // RAW: PostgreSQL's names (shared_buffers) must not become Micronaut's (shared-buffers).
    @MapFormat(keyFormat = StringConvention.RAW) Optional<Map<String, String>> parameters,
    @Bindable(defaultValue = "60s") Duration startTimeout,
    @Bindable(defaultValue = "30s") Duration stopTimeout,
    @Bindable(defaultValue = "15m") Duration rewindTimeout,
    @Bindable(defaultValue = "5s") Duration walSenderTimeout,
    @Bindable(defaultValue = "5s") Duration walReceiverTimeout) {

  public PostgresConfig {
    Checks.notBlank("baton.postgres.data-directory", dataDirectory == null ? null : dataDirectory.toString());
    Checks.host("baton.postgres.host", host);
    Checks.between("baton.postgres.port", port, 1, 65535);
    Checks.notBlank("baton.postgres.user", user);
    try {
      if (SslMode.of(sslMode).verifies() && sslRootCertFile.isEmpty()) {
        throw new ConfigurationException("baton.postgres.ssl-mode " + sslMode + " verifies the"
            + " nodes' certificates: set baton.postgres.ssl-root-cert-file to the certificate of"
            + " the authority that issued them (or choose ssl-mode require, which does not"
            + " verify)");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("baton.postgres.ssl-mode: " + e.getMessage());
    }
    Checks.positive("baton.postgres.start-timeout", startTimeout);
    Checks.positive("baton.postgres.stop-timeout", stopTimeout);
    Checks.positive("baton.postgres.rewind-timeout", rewindTimeout);
    Checks.positive("baton.postgres.wal-sender-timeout", walSenderTimeout);
    Checks.positive("baton.postgres.wal-receiver-timeout", walReceiverTimeout);
  }

  /** The password, from the file if one is named, else from the environment. */
  public String resolvePassword() {
    if (passwordFile.isPresent()) {
      try {
        return Files.readString(passwordFile.get()).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the PostgreSQL password file " + passwordFile.get(), e);
      }
    }
    return password.orElseThrow(
        () -> new IllegalStateException(
            "no PostgreSQL password: set baton.postgres.password-file, or BATON_POSTGRES_PASSWORD"
                + " in the environment"));
  }

  @Override
  public String toString() {
    return "PostgresConfig[" + dataDirectory + " at " + host + ":" + port + " as " + user + "]";
  }
}
