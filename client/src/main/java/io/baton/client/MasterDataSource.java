package io.baton.client;

import io.baton.events.MasterRecord;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DataSource} whose connections always go to the current primary of one cluster, as
 * known by a {@link MasterFollower}. When the primary moves, every connection it handed out to
 * the old one is aborted at once (the socket is closed without waiting for the old server, which
 * may be dead), so no session keeps writing to a demoted or fenced node. Code that uses such a
 * connection afterwards gets an {@link SQLException} with SQL state {@code 08003} or {@code 08006}
 * and should reconnect, like after any failover.
 *
 * <p>Connections are made with {@link DriverManager}, so the application brings the PostgreSQL
 * JDBC driver. Credentials travel as connection properties, never in the URL, and are never
 * logged; they are fetched for every new connection, so a password read from a file follows
 * rotations.
 *
 * <pre>{@code
 * MasterDataSource dataSource = MasterDataSource.builder(follower, "orders", "app")
 *     .credentials(DatabaseCredentials.fromFile("app", Path.of("/run/secrets/app-password")))
 *     .urlParameter("connectTimeout", "2")
 *     .build();
 * }</pre>
 *
 * <p><b>With a connection pool.</b> Give the pool this data source (HikariCP: {@code
 * config.setDataSource(dataSource)}): the pool's connections to the old primary are aborted
 * underneath it and it replaces them when it next validates or uses them. To also make the pool
 * retire its idle connections at once, without depending on it here, evict them from a listener:
 *
 * <pre>{@code
 * HikariDataSource pool = new HikariDataSource(config);
 * follower.addListener((previous, current, publishedAt) -> {
 *   if (current.cluster().equals("orders") && previous.isPresent()) {
 *     pool.getHikariPoolMXBean().softEvictConnections();
 *   }
 * });
 * }</pre>
 *
 * <p>{@code softEvictConnections()} closes idle connections now and in-use ones when they are
 * returned; the listener runs on the follower's thread, and the call only marks connections, so
 * it is quick enough for it.
 */
public final class MasterDataSource implements DataSource, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MasterDataSource.class);

  private record Endpoint(String host, int port) {
    static Endpoint of(MasterRecord master) {
      return new Endpoint(master.host(), master.port());
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  private final MasterFollower follower;
  private final String cluster;
  private final String database;
  private final Supplier<DatabaseCredentials> credentials;
  private final Map<String, String> urlParameters;
  private final MasterListener evictor = this::onMasterChange;
  /** Every connection handed out and not known to be closed, with where it goes. */
  private final Map<Connection, Endpoint> handedOut = new IdentityHashMap<>();
  private PrintWriter logWriter;
  private int loginTimeoutSeconds;

  private MasterDataSource(Builder builder) {
    this.follower = builder.follower;
    this.cluster = builder.cluster;
    this.database = builder.database;
    this.credentials = builder.credentials;
    this.urlParameters = Map.copyOf(builder.urlParameters);
    follower.addListener(evictor);
  }

  public static Builder builder(MasterFollower follower, String cluster, String database) {
    return new Builder(follower, cluster, database);
  }

  /** Options of a {@link MasterDataSource}; credentials are required. */
  public static final class Builder {
    private final MasterFollower follower;
    private final String cluster;
    private final String database;
    private Supplier<DatabaseCredentials> credentials;
    private final Map<String, String> urlParameters = new TreeMap<>();

    private Builder(MasterFollower follower, String cluster, String database) {
      this.follower = follower;
      this.cluster = cluster;
      this.database = database;
    }

    /** Where the user and password come from, asked for every new connection. */
    public Builder credentials(Supplier<DatabaseCredentials> source) {
      this.credentials = source;
      return this;
    }

    /** Fixed credentials, e.g. read by the application from its own secret store. */
    public Builder credentials(String user, String password) {
      DatabaseCredentials fixed = new DatabaseCredentials(user, password);
      this.credentials = () -> fixed;
      return this;
    }

    /** A JDBC URL parameter such as {@code connectTimeout}, {@code sslmode}; not credentials. */
    public Builder urlParameter(String name, String value) {
      if (name.equalsIgnoreCase("user") || name.equalsIgnoreCase("password")) {
        throw new IllegalArgumentException("credentials do not go in the URL: use credentials()");
      }
      urlParameters.put(name, value);
      return this;
    }

    public MasterDataSource build() {
      if (credentials == null) {
        throw new IllegalStateException("credentials are required");
      }
      return new MasterDataSource(this);
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    return connect(credentials.get());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return connect(new DatabaseCredentials(user, password));
  }

  private Connection connect(DatabaseCredentials login) throws SQLException {
    pruneClosed();
    // A change can land while connecting; then the new connection goes to the old primary and is
    // dropped, and the next attempt goes to the new one.
    for (int attempt = 1; ; attempt++) {
      MasterRecord master = follower.current(cluster).orElseThrow(() -> new SQLNonTransientConnectionException(
          noMasterMessage(), "08001"));
      Endpoint target = Endpoint.of(master);
      Properties properties = new Properties();
      properties.setProperty("user", login.user());
      properties.setProperty("password", login.password());
      if (loginTimeoutSeconds > 0) {
        properties.setProperty("loginTimeout", Integer.toString(loginTimeoutSeconds));
      }
      Connection connection = DriverManager.getConnection(
          follower.jdbcUrl(cluster, database, urlParameters), properties);
      synchronized (handedOut) {
        Optional<Endpoint> now = follower.current(cluster).map(Endpoint::of);
        if (now.isPresent() && now.get().equals(target)) {
          handedOut.put(connection, target);
          return connection;
        }
      }
      abort(connection);
      if (attempt == 2) {
        throw new SQLNonTransientConnectionException("the primary of cluster '" + cluster
            + "' changed twice while connecting; try again", "08001");
      }
    }
  }

  private String noMasterMessage() {
    try {
      follower.jdbcUrl(cluster, database);
      return "no master known for cluster '" + cluster + "'";
    } catch (NoMasterException e) {
      return e.getMessage();
    }
  }

  private void onMasterChange(Optional<MasterRecord> previous, MasterRecord current,
      Instant publishedAt) {
    if (!current.cluster().equals(cluster)) {
      return;
    }
    Endpoint primary = Endpoint.of(current);
    List<Connection> stale = new ArrayList<>();
    synchronized (handedOut) {
      for (Iterator<Map.Entry<Connection, Endpoint>> it = handedOut.entrySet().iterator();
          it.hasNext(); ) {
        Map.Entry<Connection, Endpoint> entry = it.next();
        if (!entry.getValue().equals(primary)) {
          stale.add(entry.getKey());
          it.remove();
        }
      }
    }
    int aborted = 0;
    for (Connection connection : stale) {
      aborted += abort(connection) ? 1 : 0;
    }
    if (!stale.isEmpty()) {
      log.info("cluster={} epoch={} node={} {}: aborted {} connection(s) to the old primary",
          cluster, current.epoch(), current.node(), primary, aborted);
    }
  }

  /** Closes the socket without a goodbye to the server, which may be gone. */
  private static boolean abort(Connection connection) {
    try {
      if (connection.isClosed()) {
        return false;
      }
      connection.abort(Runnable::run);
      return true;
    } catch (SQLException | RuntimeException e) {
      log.warn("could not abort a connection to the old primary: {}", e.toString());
      return false;
    }
  }

  private void pruneClosed() {
    synchronized (handedOut) {
      handedOut.keySet().removeIf(connection -> {
        try {
          return connection.isClosed();
        } catch (SQLException e) {
          return true;
        }
      });
    }
  }

  /** Connections handed out, not closed yet, to the current primary or waiting to be aborted. */
  public int openConnections() {
    pruneClosed();
    synchronized (handedOut) {
      return handedOut.size();
    }
  }

  /** Stops following changes and aborts every connection still open. */
  @Override
  public void close() {
    follower.removeListener(evictor);
    List<Connection> open;
    synchronized (handedOut) {
      open = new ArrayList<>(handedOut.keySet());
      handedOut.clear();
    }
    open.forEach(MasterDataSource::abort);
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  /** Passed to the driver as its {@code loginTimeout} connection property. */
  @Override
  public void setLoginTimeout(int seconds) {
    this.loginTimeoutSeconds = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("MasterDataSource logs through SLF4J");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("MasterDataSource is not a wrapper of " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  @Override
  public String toString() {
    return "MasterDataSource[cluster=" + cluster + ", database=" + database + "]";
  }
}
