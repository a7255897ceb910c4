package io.baton.agent.postgres;

import io.baton.events.Upstream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The text of the files the agent writes for PostgreSQL. Pure: no I/O. */
final class ConfigFiles {
  /**
   * Settings only the agent sets. They are removed from {@code postgresql.auto.conf} before every
   * start, because pg_rewind and pg_basebackup copy that file from another node and it would
   * override the agent's file.
   */
  static final Set<String> MANAGED_SETTINGS = Set.of(
      "config_file", "data_directory", "hba_file", "ident_file", "port", "listen_addresses",
      "unix_socket_directories", "cluster_name", "hot_standby", "wal_log_hints",
      "logging_collector", "wal_sender_timeout", "wal_receiver_timeout",
      "wal_receiver_status_interval", "primary_conninfo", "synchronous_standby_names");

  private static final Pattern SETTING_LINE =
      Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_$.]*)\\s*(=|\\s|$)");
  private static final Pattern PLAIN_CONNINFO_VALUE = Pattern.compile("[A-Za-z0-9_./:@+-]+");

  private ConfigFiles() {}

  /** What the agent's configuration file says, beyond the settings themselves. */
  record Roles(Optional<Upstream> upstream, String synchronousStandbyNames) {}

  /**
   * The agent's configuration file, which PostgreSQL reads as its {@code config_file}: the data
   * directory's own {@code postgresql.conf} first, then everything the agent manages, which
   * therefore wins over it.
   */
  static String agentConfig(PostgresSettings settings, Path pgpassFile, Roles roles) {
    Path data = settings.dataDir();
    StringBuilder conf = new StringBuilder()
        .append("# Written by the Baton agent of node ").append(settings.nodeName())
        .append(" on every start and change: edits here are lost.\n")
        .append("# The data directory's settings first; everything below overrides them.\n")
        .append("include_if_exists = ").append(quote(data.resolve("postgresql.conf").toString()))
        .append("\n\n");
    // With config_file outside the data directory PostgreSQL would still find these two in -D,
    // but only by a rule that changes when data_directory is set: named explicitly instead.
    setting(conf, "hba_file", quote(data.resolve("pg_hba.conf").toString()));
    setting(conf, "ident_file", quote(data.resolve("pg_ident.conf").toString()));
    setting(conf, "port", Integer.toString(settings.port()));
    setting(conf, "listen_addresses", quote(settings.effectiveListenAddresses()));
    setting(conf, "unix_socket_directories", quote(settings.socketDir().toString()));
    setting(conf, "cluster_name", quote(settings.nodeName()));
    setting(conf, "hot_standby", "on");
    // pg_rewind needs hint bits in the WAL (or data checksums) to rewind a diverged primary.
    setting(conf, "wal_log_hints", "on");
    // The server's output goes to the agent's log file, where start failures are read from.
    setting(conf, "logging_collector", "off");
    setting(conf, "wal_sender_timeout", duration(settings.walSenderTimeout()));
    setting(conf, "wal_receiver_timeout", duration(settings.walReceiverTimeout()));
    setting(conf, "wal_receiver_status_interval",
        duration(settings.walReceiverStatusInterval()));
    setting(conf, "primary_conninfo",
        quote(roles.upstream().map(up -> primaryConninfo(settings, pgpassFile, up)).orElse("")));
    setting(conf, "synchronous_standby_names", quote(roles.synchronousStandbyNames()));
    if (!settings.parameters().isEmpty()) {
      conf.append("\n# Further settings given to the agent\n");
      for (Map.Entry<String, String> parameter : settings.parameters().entrySet()) {
        setting(conf, parameter.getKey(), quote(parameter.getValue()));
      }
    }
    return conf.toString();
  }

  /**
   * How a standby reaches its upstream: the password from the pgpass file, the node's name as
   * {@code application_name}, and timeouts so that a dead upstream or a cut network is noticed
   * in seconds (without them a connection across a cut hangs for ~15 minutes).
   */
  static String primaryConninfo(PostgresSettings settings, Path pgpassFile, Upstream upstream) {
    return "host=" + conninfoValue(upstream.host())
        + " port=" + upstream.port()
        + " user=" + conninfoValue(settings.user())
        + " passfile=" + conninfoValue(pgpassFile.toString())
        + " application_name=" + conninfoValue(settings.nodeName())
        + tls(settings)
        + " connect_timeout=2 keepalives=1 keepalives_idle=5 keepalives_interval=1"
        + " keepalives_count=3 tcp_user_timeout=5000";
  }

  /**
   * The TLS part of a connection string. libpq checks the certificate before it authenticates,
   * so with verify-full the password goes only to the host named.
   */
  static String tls(PostgresSettings settings) {
    return " sslmode=" + settings.sslMode().wire()
        + settings.sslRootCert().map(p -> " sslrootcert=" + conninfoValue(p.toString()))
            .orElse("");
  }

  /** pg_rewind's {@code --source-server}. */
  static String rewindSource(PostgresSettings settings, Path pgpassFile, Upstream source) {
    return "host=" + conninfoValue(source.host())
        + " port=" + source.port()
        + " user=" + conninfoValue(settings.user())
        + " dbname=" + conninfoValue(settings.database())
        + " passfile=" + conninfoValue(pgpassFile.toString())
        + " application_name=" + conninfoValue(settings.nodeName() + "-rewind")
        + tls(settings)
        + " connect_timeout=5 keepalives=1 keepalives_idle=5 keepalives_interval=1"
        + " keepalives_count=3 tcp_user_timeout=10000";
  }

  /** One pgpass line matching every host, port and database. */
  static String pgpass(String user, String password) {
    return "*:*:*:" + pgpassField(user) + ":" + pgpassField(password) + "\n";
  }

  /**
   * {@code postgresql.auto.conf} without the lines setting any of {@code keys}; empty when it
   * has none of them.
   */
  static Optional<Sanitized> withoutSettings(String autoConf, Set<String> keys) {
    List<String> kept = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (String line : autoConf.split("\n", -1)) {
      Matcher m = SETTING_LINE.matcher(line);
      String key = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "";
      if (keys.contains(key)) {
        removed.add(key);
      } else {
        kept.add(line);
      }
    }
    return removed.isEmpty()
        ? Optional.empty()
        : Optional.of(new Sanitized(String.join("\n", kept), List.copyOf(removed)));
  }

  /** A sanitized {@code postgresql.auto.conf} and the names of the settings taken out. */
  record Sanitized(String text, List<String> removed) {}

  /** A postgresql.conf string literal. */
  static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  /** A libpq connection-string value, quoted when it needs to be. */
  static String conninfoValue(String value) {
    if (PLAIN_CONNINFO_VALUE.matcher(value).matches()) {
      return value;
    }
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String pgpassField(String value) {
    return value.replace("\\", "\\\\").replace(":", "\\:");
  }

  private static String duration(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? "'" + millis / 1000 + "s'" : "'" + millis + "ms'";
  }

  private static void setting(StringBuilder conf, String name, String value) {
    conf.append(name).append(" = ").append(value).append('\n');
  }
}
