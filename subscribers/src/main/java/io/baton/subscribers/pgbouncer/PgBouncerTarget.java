package io.baton.subscribers.pgbouncer;

import io.baton.client.MasterChange;
import io.baton.events.MasterRecord;
import io.baton.subscribers.files.AtomicFiles;
import io.baton.subscribers.follow.ApplyContext;
import io.baton.subscribers.follow.Target;
import io.baton.subscribers.process.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-points PgBouncer databases at a cluster's new primary, driven by the master topic instead of
 * by the promoting node (seed 002's promote script, as a subscriber). The included {@code
 * [databases]} file is rewritten atomically with the new host and port, then, in one admin
 * session:
 *
 * <ul>
 *   <li>By default ({@code reconnect-clients: true}): {@code RELOAD}, {@code KILL <db>}, {@code
 *       RESUME <db>}. After one failed login, PgBouncer opens no server connection for {@code
 *       server_login_retry} (15 s by default), and RELOAD keeps that state; a failed login to the
 *       old primary is all but certain under load while it dies or drains. A killed pool starts
 *       afresh on the new primary at once; clients reconnect once. No PAUSE first: by the time a
 *       master record is published the old primary is fenced or drained, so waiting for its
 *       transactions to end would only wait for transactions that cannot commit.
 *   <li>With {@code reconnect-clients: false}, the promote script's sequence: {@code PAUSE <db>}
 *       (PgBouncer waits until every server connection is released and closes them; clients wait
 *       in PgBouncer meanwhile), {@code RELOAD}, {@code RESUME <db>}: an application in
 *       transaction pooling sees a short pause and no error, unless a login to the old primary
 *       failed, when it waits out {@code server_login_retry}. A PAUSE that cannot finish (a dead
 *       old primary, session pooling with connected clients) is given up after {@code
 *       pause-timeout} for {@code KILL <db>}.
 * </ul>
 *
 * <p>RESUME runs even when a step fails, so a failed attempt never leaves clients waiting; the
 * runner then retries the whole sequence. On the first change of a cluster after start, {@code
 * SHOW DATABASES} tells whether the running PgBouncer already points every database of the
 * cluster at the primary (e.g. after a subscriber restart); then only the file is brought up to
 * date, and nobody is paused or disconnected.
 */
final class PgBouncerTarget implements Target {
  private static final Logger log = LoggerFactory.getLogger(PgBouncerTarget.class);

  private final PgBouncerConfig settings;
  private final List<PgBouncerDatabaseConfig> databases;
  private final AdminConsole console;
  private final Map<String, MasterRecord> applied = new TreeMap<>();

  PgBouncerTarget(PgBouncerConfig settings, List<PgBouncerDatabaseConfig> databases) {
    this.settings = settings;
    this.databases = databases.stream()
        .sorted(java.util.Comparator.comparing(PgBouncerDatabaseConfig::name)).toList();
    this.console = new AdminConsole(settings);
  }

  @Override
  public String name() {
    return "pgbouncer";
  }

  @Override
  public Set<String> clusters() {
    Set<String> clusters = new LinkedHashSet<>();
    databases.forEach(d -> clusters.add(d.cluster()));
    return clusters;
  }

  @Override
  public String apply(MasterChange change, ApplyContext context) throws Exception {
    MasterRecord master = change.current();
    List<PgBouncerDatabaseConfig> mine = databases.stream()
        .filter(d -> d.cluster().equals(master.cluster())).toList();
    Map<String, MasterRecord> next = new TreeMap<>(applied);
    next.put(master.cluster(), master);
    String existing = Files.isRegularFile(settings.databasesFile())
        ? Files.readString(settings.databasesFile()) : "";
    String content = DatabasesFile.render(databases, next, DatabasesFile.entries(existing));
    String endpoint = master.host() + ":" + master.port();
    if (!applied.containsKey(master.cluster())) {
      // First change of this cluster since start: PgBouncer may well be right already.
      Map<String, String> running = console.databaseEndpoints();
      if (mine.stream().allMatch(d -> endpoint.equals(running.get(d.name())))) {
        boolean rewritten = AtomicFiles.replace(settings.databasesFile(), content);
        applied.put(master.cluster(), master);
        return "PgBouncer already points " + names(mine) + " there"
            + (rewritten ? "; file rewritten" : "");
      }
    }
    String done = settings.reconnectClients()
        ? reloadAndKill(master.cluster(), mine, content)
        : pauseReloadResume(master.cluster(), mine, content);
    applied.put(master.cluster(), master);
    return done;
  }

  private String reloadAndKill(String cluster, List<PgBouncerDatabaseConfig> mine, String content)
      throws IOException {
    AtomicFiles.replace(settings.databasesFile(), content);
    List<String> commands = new ArrayList<>(List.of("RELOAD"));
    for (PgBouncerDatabaseConfig database : mine) {
      commands.add("KILL " + database.name());
      commands.add("RESUME " + database.name());
    }
    Run.Result result = console.run(settings.commandTimeout(), commands.toArray(String[]::new));
    if (!result.succeeded()) {
      // KILL leaves a database paused: never leave its clients waiting.
      resumeAfterFailure(cluster, mine.stream().map(PgBouncerDatabaseConfig::name).toList());
      throw new IOException("PgBouncer admin commands " + commands + " failed: "
          + result.describe());
    }
    return String.join(", ", commands) + " in " + result.took().toMillis() + " ms";
  }

  private String pauseReloadResume(String cluster, List<PgBouncerDatabaseConfig> mine, String content)
      throws IOException {
    List<String> steps = new ArrayList<>();
    List<String> toResume = new ArrayList<>();
    boolean resumed = false;
    try {
      for (PgBouncerDatabaseConfig database : mine) {
        pauseOrKill(database.name()).ifPresent(step -> {
          toResume.add(database.name());
          steps.add(step);
        });
      }
      AtomicFiles.replace(settings.databasesFile(), content);
      // One psql session for both saves a process start and a login (~50-100 ms here).
      List<String> commands = new ArrayList<>(List.of("RELOAD"));
      toResume.forEach(name -> commands.add("RESUME " + name));
      Run.Result reloaded = console.run(settings.commandTimeout(),
          commands.toArray(String[]::new));
      if (!reloaded.succeeded()) {
        throw new IOException("PgBouncer admin commands " + commands + " failed: "
            + reloaded.describe());
      }
      resumed = true;
      steps.addAll(commands);
    } finally {
      if (!resumed) {
        resumeAfterFailure(cluster, toResume);
      }
    }
    return String.join(", ", steps);
  }

  /** Resumes what was paused, one by one, so a failed attempt never leaves clients waiting. */
  private void resumeAfterFailure(String cluster, List<String> paused) throws IOException {
    for (String name : paused) {
      Run.Result resumed = console.run(settings.commandTimeout(), "RESUME " + name);
      if (!resumed.succeeded() && !resumed.output().contains("not paused")) {
        log.error("subscriber=pgbouncer cluster={}: RESUME {} failed, its clients wait: {}",
            cluster, name, resumed.describe());
      }
    }
  }

  /**
   * PAUSE, or KILL when PAUSE does not finish in time; says which and how long it took. Empty
   * when the running PgBouncer does not know the database yet (RELOAD adds it).
   */
  private Optional<String> pauseOrKill(String database) throws IOException {
    Run.Result paused = console.run(settings.pauseTimeout(), "PAUSE " + database);
    if (paused.succeeded() || paused.output().contains("already")) {
      return Optional.of("PAUSE " + database + " " + paused.took().toMillis() + " ms");
    }
    if (paused.output().contains("no such database")) {
      return Optional.empty();
    }
    if (!paused.timedOut()) {
      throw new IOException("PgBouncer admin command 'PAUSE " + database + "' failed: "
          + paused.describe());
    }
    log.warn("subscriber=pgbouncer: PAUSE {} still waiting after {} ms for server connections"
        + " (old primary gone, or session pooling with clients attached): KILL {}", database,
        settings.pauseTimeout().toMillis(), database);
    console.require("KILL " + database);
    return Optional.of("PAUSE " + database + " timed out, KILL " + database);
  }

  private static String names(List<PgBouncerDatabaseConfig> databases) {
    return databases.stream().map(PgBouncerDatabaseConfig::name).toList().toString();
  }
}
