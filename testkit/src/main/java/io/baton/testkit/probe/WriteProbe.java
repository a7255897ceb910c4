package io.baton.testkit.probe;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's write probe (see {@code docs/benchmark-method.md}): one client connection inserting
 * {@code (run_id, seq)} into {@code baton_probe} every 10 ms in autocommit, on its own thread,
 * recording each attempt with {@link System#nanoTime()} stamps and its outcome. After any error it
 * drops the connection and reconnects ~15 ms later.
 *
 * <p>The target is a {@code Supplier<String>} of a JDBC URL, asked before every attempt: pass a
 * fixed multi-host URL ({@code ...?targetServerType=primary&connectTimeout=1&socketTimeout=2&
 * hostRecheckSeconds=0}) or one derived from the current master; when the URL changes, the probe
 * drops its connection and connects to the new one, as a client following the master topic
 * does. User and password are given apart, never in the URL. Connections get {@code
 * connectTimeout=1} and {@code socketTimeout=2} unless the URL says otherwise, so no attempt
 * hangs across a network cut.
 *
 * <p>Stamps are {@code CLOCK_MONOTONIC} on Linux, shared by all processes: see {@link
 * ProbeResults}. To probe from inside a network namespace, run {@link ProbeWriterMain} there.
 */
public final class WriteProbe implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WriteProbe.class);
  private static final String INSERT = "INSERT INTO baton_probe(run_id, seq) VALUES (?, ?)";
  /** SQLSTATE read_only_sql_transaction: a standby refusing a write, the session still fine. */
  public static final String READ_ONLY = "25006";

  private final Supplier<String> jdbcUrl;
  private final Properties connectionProperties;
  private final String runId;
  private final Duration interval;
  private final Duration reconnectDelay;
  private final boolean keepConnectionWhenReadOnly;
  private final Optional<Consumer<Attempt>> onAttempt;
  private final List<Attempt> attempts = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  private WriteProbe(Builder builder) {
    this.jdbcUrl = builder.jdbcUrl;
    this.runId = builder.runId;
    this.interval = builder.interval;
    this.reconnectDelay = builder.reconnectDelay;
    this.keepConnectionWhenReadOnly = builder.keepConnectionWhenReadOnly;
    this.onAttempt = builder.onAttempt;
    this.connectionProperties = new Properties();
    connectionProperties.setProperty("user", builder.user);
    connectionProperties.setProperty("password", builder.password);
    connectionProperties.setProperty("connectTimeout", "1");
    connectionProperties.setProperty("socketTimeout", "2");
    connectionProperties.setProperty("ApplicationName", "baton-probe");
    this.thread = new Thread(this::run, "write-probe-" + runId);
    thread.setDaemon(true);
  }

  /** Starts describing a probe; {@link Builder#start()} starts it. */
  public static Builder builder(Supplier<String> jdbcUrl, String user, String password) {
    return new Builder(jdbcUrl, user, password);
  }

  /** Options of a probe; the defaults are the benchmark's. */
  public static final class Builder {
    private final Supplier<String> jdbcUrl;
    private final String user;
    private final String password;
    private String runId = UUID.randomUUID().toString();
    private Duration interval = Duration.ofMillis(10);
    private Duration reconnectDelay = Duration.ofMillis(15);
    private boolean keepConnectionWhenReadOnly;
    private Optional<Consumer<Attempt>> onAttempt = Optional.empty();

    private Builder(Supplier<String> jdbcUrl, String user, String password) {
      this.jdbcUrl = jdbcUrl;
      this.user = user;
      this.password = password;
    }

    /** Tells this run's rows apart from other runs' in the same table; random by default. */
    public Builder runId(String runId) {
      this.runId = runId;
      return this;
    }

    /** Time between the starts of two attempts; 10 ms by default. */
    public Builder interval(Duration interval) {
      this.interval = interval;
      return this;
    }

    /** Pause after a failure before the next attempt; 15 ms by default. */
    public Builder reconnectDelay(Duration reconnectDelay) {
      this.reconnectDelay = reconnectDelay;
      return this;
    }

    /**
     * Keeps the connection after an insert refused because the server is read-only (SQLSTATE
     * {@value #READ_ONLY}: a standby), and tries again after the interval: a writer beside one
     * node then costs that node no new session per attempt, and a session that outlives the
     * node's promotion writes at once, as an application's pooled session would.
     */
    public Builder keepConnectionWhenReadOnly() {
      this.keepConnectionWhenReadOnly = true;
      return this;
    }

    /** Called on the probe's thread after every attempt. */
    public Builder onAttempt(Consumer<Attempt> listener) {
      this.onAttempt = Optional.of(listener);
      return this;
    }

    public WriteProbe start() {
      WriteProbe probe = new WriteProbe(this);
      probe.thread.start();
      return probe;
    }
  }

  /** Creates {@code baton_probe} if missing; run it as the user the probe writes as. */
  public static void createTable(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS baton_probe ("
          + "run_id text NOT NULL, seq bigint NOT NULL, "
          + "inserted_at timestamptz NOT NULL DEFAULT clock_timestamp(), "
          + "PRIMARY KEY (run_id, seq))");
    }
  }

  public String runId() {
    return runId;
  }

  private void run() {
    Connection connection = null;
    PreparedStatement insert = null;
    String connectedTo = "";
    long seq = 0;
    long nextStart = System.nanoTime();
    while (running) {
      sleepUntil(nextStart);
      if (!running) {
        break;
      }
      long start = System.nanoTime();
      seq++;
      String phase = "connect";
      Attempt attempt;
      try {
        String url = jdbcUrl.get();
        if (connection != null && !url.equals(connectedTo)) {
          closeQuietly(connection);
          connection = null;
        }
        if (connection == null) {
          connectedTo = url;
          connection = DriverManager.getConnection(url, connectionProperties);
          insert = connection.prepareStatement(INSERT);
        }
        phase = "insert";
        insert.setString(1, runId);
        insert.setLong(2, seq);
        insert.executeUpdate();
        attempt = Attempt.acknowledged(seq, start, System.nanoTime());
        nextStart = start + interval.toNanos();
      } catch (SQLException | RuntimeException e) {
        long end = System.nanoTime();
        String state = e instanceof SQLException sql && sql.getSQLState() != null
            ? sql.getSQLState() + " " : "";
        attempt = Attempt.failed(seq, start, end, phase + ": " + state + e.getMessage());
        if (keepConnectionWhenReadOnly && e instanceof SQLException sql
            && READ_ONLY.equals(sql.getSQLState())) {
          nextStart = start + interval.toNanos();
        } else {
          closeQuietly(connection);
          connection = null;
          insert = null;
          nextStart = end + reconnectDelay.toNanos();
        }
      }
      synchronized (attempts) {
        attempts.add(attempt);
      }
      Attempt recorded = attempt;
      onAttempt.ifPresent(listener -> listener.accept(recorded));
    }
    closeQuietly(connection);
  }

  private void sleepUntil(long nanos) {
    long left;
    while (running && (left = nanos - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("closing a broken probe connection: {}", e.toString());
      }
    }
  }

  /** A snapshot of everything recorded so far. */
  public ProbeResults results() {
    synchronized (attempts) {
      return new ProbeResults(runId, attempts);
    }
  }

  public List<Attempt> attempts() {
    return results().attempts();
  }

  public List<Long> acknowledged() {
    return results().acknowledged();
  }

  public List<Outage> outages() {
    return results().outages();
  }

  public Optional<Long> lastAcknowledgedAt() {
    return results().lastAcknowledgedAt();
  }

  public Optional<Attempt> firstAcknowledgedAfter(long nanos) {
    return results().firstAcknowledgedAfter(nanos);
  }

  /** See {@link ProbeResults#lostWrites(Connection)}. */
  public List<Long> lostWrites(Connection finalPrimary) throws SQLException {
    return results().lostWrites(finalPrimary);
  }

  /**
   * Stops after the attempt in flight, which the connection's timeouts bound to a few seconds.
   */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(Duration.ofSeconds(15).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("write probe {} still busy 15 s after close; leaving its daemon thread", runId);
    }
  }
}
