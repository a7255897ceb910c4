package io.baton.subscribers.pgbouncer;

import io.baton.runtime.Checks;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The PgBouncer subscriber ({@code baton.pgbouncer.*}); the databases it re-points are {@link
 * PgBouncerDatabaseConfig}s under {@code baton.pgbouncer.databases.<name>}.
 *
 * @param enabled whether to run it, default false
 * @param groupId consumer group for lag monitoring, default {@code baton-subscriber-pgbouncer};
 *     give every instance its own
 * @param databasesFile the file this subscriber owns: a {@code [databases]} section that
 *     pgbouncer.ini pulls in with {@code %include}; default
 *     {@code /etc/pgbouncer/baton-databases.ini}
 * @param adminHost PgBouncer's listen address for the admin console, default {@code 127.0.0.1}
 * @param adminPort its port, default 6432
 * @param adminUser a user in PgBouncer's {@code admin_users}, default {@code pgbouncer}
 * @param adminPasswordFile file holding that user's password (first line), default none
 * @param adminPasswordEnv environment variable holding it when no file is given, default
 *     {@code BATON_PGBOUNCER_ADMIN_PASSWORD}; neither set means no password (trust auth)
 * @param psql the psql executable that talks to the admin console, default {@code /usr/bin/psql}
 * @param pauseTimeout with {@code reconnect-clients: false}, how long PAUSE may wait for server
 *     connections to be released before the database is KILLed instead, default 5 s
 * @param commandTimeout bound on every other admin command, default 10 s
 * @param reconnectClients re-point with RELOAD, KILL, RESUME (clients reconnect once and reach
 *     the new primary at once), default true; false: PAUSE, RELOAD, RESUME (clients stay
 *     connected, but wait out PgBouncer's {@code server_login_retry}, 15 s by default, when a
 *     login to the old primary failed). See {@code PgBouncerTarget}
 */
@ConfigurationProperties("baton.pgbouncer")
public record PgBouncerConfig(
    @Bindable(defaultValue = "false") boolean enabled,
    @Bindable(defaultValue = "baton-subscriber-pgbouncer") String groupId,
    @Bindable(defaultValue = "/etc/pgbouncer/baton-databases.ini") Path databasesFile,
    @Bindable(defaultValue = "127.0.0.1") String adminHost,
    @Bindable(defaultValue = "6432") int adminPort,
    @Bindable(defaultValue = "pgbouncer") String adminUser,
    Optional<Path> adminPasswordFile,
    @Bindable(defaultValue = "BATON_PGBOUNCER_ADMIN_PASSWORD") String adminPasswordEnv,
    @Bindable(defaultValue = "/usr/bin/psql") Path psql,
    @Bindable(defaultValue = "5s") Duration pauseTimeout,
    @Bindable(defaultValue = "10s") Duration commandTimeout,
    @Bindable(defaultValue = "true") boolean reconnectClients) {

  public PgBouncerConfig {
    Checks.notBlank("baton.pgbouncer.group-id", groupId);
    Checks.notBlank("baton.pgbouncer.admin-host", adminHost);
    Checks.between("baton.pgbouncer.admin-port", adminPort, 1, 65535);
    Checks.notBlank("baton.pgbouncer.admin-user", adminUser);
    Checks.notBlank("baton.pgbouncer.admin-password-env", adminPasswordEnv);
    Checks.positive("baton.pgbouncer.pause-timeout", pauseTimeout);
    Checks.positive("baton.pgbouncer.command-timeout", commandTimeout);
  }
}
