package io.baton.agent.postgres;

import io.baton.events.Names;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How the agent runs its local PostgreSQL ({@link LocalPostgres}).
 *
 * @param nodeName the node's name: PostgreSQL's {@code cluster_name}, and the {@code
 *     application_name} it streams with as a standby (so the primary's {@code
 *     synchronous_standby_names} can name it)
 * @param binDir where {@code postgres}, {@code pg_rewind} and {@code pg_controldata} are
 * @param dataDir the data directory ({@code PGDATA}), owned by {@code osUser}
 * @param host the address clients and standbys use to reach this node; PostgreSQL listens on it
 *     unless {@code listenAddresses} says otherwise
 * @param socketDir PostgreSQL's {@code unix_socket_directories}
 * @param listenAddresses PostgreSQL's {@code listen_addresses}, when not just {@code host}
 * @param osUser the OS user to run PostgreSQL and its tools as, when the agent runs as another
 *     user (PostgreSQL refuses to run as root); files the agent writes for PostgreSQL are handed
 *     over to it
 * @param user the database role the agent connects as, for its own queries and for streaming
 * @param password that role's password; never logged, never on a command line
 * @param sslMode how every connection of the agent and of its standby uses TLS
 * @param sslRootCert the authorities' certificates (PEM) a verifying {@code sslMode} trusts;
 *     readable by {@code osUser} too, whose WAL receiver verifies its upstream with it
 * @param database the database the agent connects to
 * @param stateDir the agent's own directory: {@value LocalPostgres#CONFIG_FILE_NAME}, {@value
 *     LocalPostgres#PGPASS_FILE_NAME} and {@value LocalPostgres#LOG_FILE_NAME}
 * @param parameters further PostgreSQL settings the agent writes into its configuration file; they
 *     may not name a setting the agent manages itself
 * @param startTimeout how long a start may take before it counts as failed
 * @param stopTimeout how long a fast shutdown may take before the agent fences instead
 * @param rewindTimeout how long pg_rewind may run
 * @param walSenderTimeout {@code wal_sender_timeout}: how soon a primary drops a silent standby
 *     (PostgreSQL's default of 60 s would hold synchronous commits that long)
 * @param walReceiverTimeout {@code wal_receiver_timeout}: how soon a standby notices a silent
 *     upstream
 * @param walReceiverStatusInterval {@code wal_receiver_status_interval}: how often a standby
 *     reports its position, which is how fresh the primary's view of it is
 */
public record PostgresSettings(
    String nodeName,
    Path binDir,
    Path dataDir,
    String host,
    int port,
    Path socketDir,
    Optional<String> listenAddresses,
    Optional<String> osUser,
    String user,
    String password,
    SslMode sslMode,
    Optional<Path> sslRootCert,
    String database,
    Path stateDir,
    Map<String, String> parameters,
    Duration startTimeout,
    Duration stopTimeout,
    Duration rewindTimeout,
    Duration walSenderTimeout,
    Duration walReceiverTimeout,
    Duration walReceiverStatusInterval) {

  public static final Path DEFAULT_BIN_DIR = Path.of("/usr/lib/postgresql/15/bin");
  public static final String DEFAULT_USER = "baton_agent";
  public static final String DEFAULT_DATABASE = "postgres";
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_REWIND_TIMEOUT = Duration.ofMinutes(15);
  public static final Duration DEFAULT_WAL_SENDER_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_WAL_RECEIVER_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_WAL_RECEIVER_STATUS_INTERVAL = Duration.ofSeconds(1);

  private static final Pattern PARAMETER_NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z0-9_]+)?");

  public PostgresSettings {
    if (!Names.isValid(nodeName)) {
      throw new IllegalArgumentException("node name '" + nodeName + "' is not a valid name: use 1"
          + " to 63 lowercase letters, digits, '-' or '_', starting with a letter or digit");
    }
    Objects.requireNonNull(binDir, "binDir");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(socketDir, "socketDir");
    Objects.requireNonNull(stateDir, "stateDir");
    if (!binDir.isAbsolute() || !dataDir.isAbsolute() || !socketDir.isAbsolute()
        || !stateDir.isAbsolute()) {
      // PostgreSQL resolves relative paths against the data directory, the agent against its
      // own working directory: only absolute paths mean the same to both.
      throw new IllegalArgumentException("binDir, dataDir, socketDir and stateDir must be"
          + " absolute paths");
    }
    requireText("host", host);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
    }
    listenAddresses = Objects.requireNonNullElse(listenAddresses, Optional.empty());
    osUser = Objects.requireNonNullElse(osUser, Optional.empty());
    osUser.ifPresent(u -> requireText("osUser", u));
    requireText("user", user);
    Objects.requireNonNull(password, "password");
    if (password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0
        || password.indexOf('\0') >= 0) {
      // A pgpass file cannot hold such a password. The message does not repeat it.
      throw new IllegalArgumentException("the database password must not contain a line break"
          + " or NUL character");
    }
    Objects.requireNonNull(sslMode, "sslMode");
    sslRootCert = Objects.requireNonNullElse(sslRootCert, Optional.empty());
    if (sslMode.verifies() && sslRootCert.isEmpty()) {
      throw new IllegalArgumentException("ssl mode " + sslMode.wire() + " verifies the server's"
          + " certificate: name the authority's certificate (baton.postgres.ssl-root-cert-file)");
    }
    sslRootCert.ifPresent(p -> {
      if (!p.isAbsolute()) {
        throw new IllegalArgumentException("the SSL root certificate must be an absolute path");
      }
    });
    requireText("database", database);
    parameters = checkedParameters(parameters);
    requirePositive("startTimeout", startTimeout);
    requirePositive("stopTimeout", stopTimeout);
    requirePositive("rewindTimeout", rewindTimeout);
    requirePositive("walSenderTimeout", walSenderTimeout);
    requirePositive("walReceiverTimeout", walReceiverTimeout);
    requirePositive("walReceiverStatusInterval", walReceiverStatusInterval);
  }

  /** Settings with every default; the three arguments have none. */
  public static Builder builder(String nodeName, Path dataDir, Path stateDir) {
    return new Builder(nodeName, dataDir, stateDir);
  }

  /** What PostgreSQL listens on. */
  public String effectiveListenAddresses() {
    return listenAddresses.orElse(host);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Everything but the password. */
  @Override
  public String toString() {
    return "PostgresSettings[nodeName=" + nodeName + ", binDir=" + binDir + ", dataDir=" + dataDir
        + ", host=" + host + ", port=" + port + ", socketDir=" + socketDir + ", listenAddresses="
        + listenAddresses + ", osUser=" + osUser + ", user=" + user + ", password=(hidden), sslMode=" + sslMode + ", sslRootCert=" + sslRootCert
        + ", database=" + database + ", stateDir=" + stateDir + ", parameters=" + parameters
        + ", startTimeout=" + startTimeout + ", stopTimeout=" + stopTimeout + ", rewindTimeout="
        + rewindTimeout + ", walSenderTimeout=" + walSenderTimeout + ", walReceiverTimeout="
        + walReceiverTimeout + ", walReceiverStatusInterval=" + walReceiverStatusInterval + "]";
  }

  private static Map<String, String> checkedParameters(Map<String, String> parameters) {
    // Sorted, so the configuration file is the same for the same settings.
    Map<String, String> checked = new TreeMap<>();
    for (Map.Entry<String, String> entry
        : Objects.requireNonNullElse(parameters, Map.<String, String>of()).entrySet()) {
      // PostgreSQL setting names are case-insensitive; normalised so duplicates are caught.
      String name = entry.getKey().toLowerCase(Locale.ROOT);
      if (!PARAMETER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("'" + entry.getKey() + "' is not a PostgreSQL setting"
            + " name");
      }
      if (ConfigFiles.MANAGED_SETTINGS.contains(name)) {
        throw new IllegalArgumentException(name + " is managed by the agent and cannot be set as"
            + " an extra PostgreSQL parameter");
      }
      String value = Objects.requireNonNull(entry.getValue(), "value of " + name);
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("the value of " + name + " must be one line");
      }
      if (checked.put(name, value) != null) {
        throw new IllegalArgumentException(name + " is given twice");
      }
    }
    return Collections.unmodifiableMap(checked);
  }

  private static void requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
  }

  private static void requirePositive(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + " must be a positive duration, got " + value);
    }
  }

  /** Fills in the defaults; {@link #build()} validates. */
  public static final class Builder {
    private String nodeName;
    private Path binDir = DEFAULT_BIN_DIR;
    private Path dataDir;
    private String host = "127.0.0.1";
    private int port = 5432;
    private Path socketDir = Path.of("/var/run/postgresql");
    private Optional<String> listenAddresses = Optional.empty();
    private Optional<String> osUser = Optional.empty();
    private String user = DEFAULT_USER;
    private String password = "";
    private SslMode sslMode = SslMode.VERIFY_FULL;
    private Optional<Path> sslRootCert = Optional.empty();
    private String database = DEFAULT_DATABASE;
    private Path stateDir;
    private Map<String, String> parameters = Map.of();
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private Duration rewindTimeout = DEFAULT_REWIND_TIMEOUT;
    private Duration walSenderTimeout = DEFAULT_WAL_SENDER_TIMEOUT;
    private Duration walReceiverTimeout = DEFAULT_WAL_RECEIVER_TIMEOUT;
    private Duration walReceiverStatusInterval = DEFAULT_WAL_RECEIVER_STATUS_INTERVAL;

    private Builder(String nodeName, Path dataDir, Path stateDir) {
      this.nodeName = nodeName;
      this.dataDir = dataDir;
      this.stateDir = stateDir;
    }

    private Builder(PostgresSettings s) {
      this(s.nodeName, s.dataDir, s.stateDir);
      binDir = s.binDir;
      host = s.host;
      port = s.port;
      socketDir = s.socketDir;
      listenAddresses = s.listenAddresses;
      osUser = s.osUser;
      user = s.user;
      password = s.password;
      sslMode = s.sslMode;
      sslRootCert = s.sslRootCert;
      database = s.database;
      parameters = s.parameters;
      startTimeout = s.startTimeout;
      stopTimeout = s.stopTimeout;
      rewindTimeout = s.rewindTimeout;
      walSenderTimeout = s.walSenderTimeout;
      walReceiverTimeout = s.walReceiverTimeout;
      walReceiverStatusInterval = s.walReceiverStatusInterval;
    }

    public Builder nodeName(String value) {
      nodeName = value;
      return this;
    }

    public Builder binDir(Path value) {
      binDir = value;
      return this;
    }

    public Builder dataDir(Path value) {
      dataDir = value;
      return this;
    }

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder socketDir(Path value) {
      socketDir = value;
      return this;
    }

    public Builder listenAddresses(String value) {
      listenAddresses = Optional.of(value);
      return this;
    }

    public Builder osUser(String value) {
      osUser = Optional.of(value);
      return this;
    }

    public Builder user(String value) {
      user = value;
      return this;
    }

    public Builder password(String value) {
      password = value;
      return this;
    }

    public Builder sslMode(SslMode value) {
      sslMode = value;
      return this;
    }

    public Builder sslRootCert(Path value) {
      sslRootCert = Optional.of(value);
      return this;
    }

    public Builder database(String value) {
      database = value;
      return this;
    }

    public Builder stateDir(Path value) {
      stateDir = value;
      return this;
    }

    public Builder parameters(Map<String, String> value) {
      parameters = value;
      return this;
    }

    public Builder startTimeout(Duration value) {
      startTimeout = value;
      return this;
    }

    public Builder stopTimeout(Duration value) {
      stopTimeout = value;
      return this;
    }

    public Builder rewindTimeout(Duration value) {
      rewindTimeout = value;
      return this;
    }

    public Builder walSenderTimeout(Duration value) {
      walSenderTimeout = value;
      return this;
    }

    public Builder walReceiverTimeout(Duration value) {
      walReceiverTimeout = value;
      return this;
    }

    public Builder walReceiverStatusInterval(Duration value) {
      walReceiverStatusInterval = value;
      return this;
    }

    public PostgresSettings build() {
      return new PostgresSettings(nodeName, binDir, dataDir, host, port, socketDir,
          listenAddresses, osUser, user, password, sslMode, sslRootCert, database, stateDir, parameters, startTimeout,
          stopTimeout, rewindTimeout, walSenderTimeout, walReceiverTimeout,
          walReceiverStatusInterval);
    }
  }
}
