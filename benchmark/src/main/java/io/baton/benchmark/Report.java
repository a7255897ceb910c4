package io.baton.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.baton.benchmark.scenarios.Scenario;
import io.baton.events.Amounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The benchmark's results: tables for people (one per group of scenarios, with targets and the
 * incumbents' figures beside), and the same as JSON for machines.
 */
public final class Report {
  /** How the figures relate the clocks; printed under the tables and stored in the JSON. */
  public static final String CLOCKS = "Probe attempts carry CLOCK_MONOTONIC stamps (shared by"
      + " every process on the machine, in any network namespace) and are compared directly with"
      + " the fault's. Master records carry their own broker append time (LogAppendTime); event"
      + " records the timestamp the coordinator gives them: the broker append time of the"
      + " heartbeat, tick or request it decided on. The broker reads CLOCK_REALTIME and runs in"
      + " the benchmark's JVM; broker times are"
      + " compared with the fault's Instant.now(), taken back to back with its nanoTime, and"
      + " related to probe stamps through that pair. Broker timestamps have millisecond"
      + " resolution.";

  private static final String DASH = "-";

  private final MachineFacts machine;
  private final Options options;
  private final Instant started;
  private final List<ScenarioResult> results = new ArrayList<>();

  public Report(MachineFacts machine, Options options, Instant started) {
    this.machine = machine;
    this.options = options;
    this.started = started;
  }

  public void add(ScenarioResult result) {
    results.add(result);
  }

  /** A column of a table: its heading and how a scenario's cell reads. */
  private record Column(String heading, Function<ScenarioResult, String> cell) {}

  /** All tables, with the machine's facts on top. */
  public String render() {
    StringBuilder text = new StringBuilder();
    text.append("Baton benchmark, ").append(machine.date()).append(options.quick() ? " (quick)" : "")
        .append('\n')
        .append(machine.cores()).append(" cores, ").append(machine.memoryMb()).append(" MB, ")
        .append(machine.os()).append("; Java ").append(machine.java()).append('\n')
        .append(machine.postgres()).append("; Kafka ").append(machine.kafka()).append('\n')
        .append(machine.haproxy()).append("; ").append(machine.pgbouncer()).append("; Baton ")
        .append(machine.batonCommit()).append('\n');
    for (Scenario.Group group : Scenario.Group.values()) {
      List<ScenarioResult> members = results.stream()
          .filter(r -> r.scenario().group() == group).toList();
      if (!members.isEmpty()) {
        text.append('\n').append(group(group, members));
      }
    }
    text.append("\nTime taken:\n");
    for (ScenarioResult result : results) {
      text.append(String.format("  %-18s %s%n", result.scenario().name(),
          Amounts.millis(result.took().toMillis())));
    }
    text.append("\nClocks: ").append(CLOCKS).append('\n');
    return text.toString();
  }

  private static String group(Scenario.Group group, List<ScenarioResult> members) {
    StringBuilder text = new StringBuilder();
    switch (group) {
      case FAILOVER -> text
          .append("FAILOVER: median (min - max) over the successful runs; longest write, old"
              + " primary's last commit (after the fault), overlap and lost writes: the maximum.\n")
          .append("detection = fault -> primary-lost event (node-lost for a standby);"
              + " promotion = fault -> new master record; both by broker time.\n")
          .append(table(members, List.of(
              runs(),
              new Column("write outage", r -> medianRange(r, Metric.OUTAGE)),
              new Column("longest write", r -> max(r, Metric.LONGEST_WRITE)),
              new Column("detection", r -> medianRange(r, Metric.DETECTION)),
              new Column("promotion", r -> medianRange(r, Metric.PROMOTION)),
              new Column("old primary's last commit", r -> max(r, Metric.OLD_PRIMARY_LAST_COMMIT)),
              new Column("overlap", r -> max(r, Metric.OVERLAP)),
              new Column("lost", r -> max(r, Metric.LOST_WRITES)))))
          .append(extras(members, List.of(Metric.SYNC_REPLACED, Metric.HEALTHY_AGAIN)))
          .append(verdicts(members))
          .append(problems(members))
          .append(nodeLossIncumbents(members));
      case SWITCHOVER -> text
          .append("SWITCHOVER: one run = one switchover under a continuous client; median (min -"
              + " max); handover = request sent -> answered completed.\n")
          .append(table(members, List.of(
              new Column("switchovers", r -> r.succeeded() + "/" + r.runsRequested()),
              new Column("write outage", r -> medianRange(r, Metric.OUTAGE)),
              new Column("longest write", r -> max(r, Metric.LONGEST_WRITE)),
              new Column("handover", r -> medianRange(r, Metric.HANDOVER)),
              new Column("lost", r -> max(r, Metric.LOST_WRITES)))))
          .append(verdicts(members))
          .append(problems(members))
          .append(switchoverIncumbents(members));
      case SUBSCRIBERS -> text
          .append("SUBSCRIBERS: master record's broker time -> listener call / first successful"
              + " write through the proxy; median, p99 (nearest rank), min - max.\n")
          .append(table(members, List.of(
              new Column("changes", r -> r.succeeded() + "/" + r.runsRequested()),
              new Column("MasterFollower listener", r -> medianP99(r, Metric.LISTENER)),
              new Column("HAProxy", r -> medianP99(r, Metric.HAPROXY)),
              new Column("PgBouncer", r -> medianP99(r, Metric.PGBOUNCER)))))
          .append(extras(members, List.of(Metric.HANDOVER)))
          .append(verdicts(members))
          .append(problems(members));
      case KAFKA -> text
          .append("KAFKA: the broker (its own JVM) paused or restarted under the client, at a"
              + " random phase of the heartbeat interval; median (min - max); longest write: the"
              + " maximum.\n")
          .append("fenced/failover = in how many runs; writes back = Kafka back (SIGCONT, or"
              + " serving after the restart) -> the client's outage ended, in runs with one.\n")
          .append(table(members, List.of(
              runs(),
              new Column("Kafka away", r -> medianRange(r, Metric.KAFKA_AWAY)),
              new Column("write outage", r -> medianRange(r, Metric.OUTAGE)),
              new Column("longest write", r -> max(r, Metric.LONGEST_WRITE)),
              new Column("fenced", r -> runsWith(r, Metric.FENCED)),
              new Column("failover", r -> runsWith(r, Metric.FAILOVER)),
              new Column("writes back", r -> medianRange(r, Metric.WRITES_RESUMED)))))
          .append(verdicts(members))
          .append(problems(members));
    }
    return text.toString();
  }

  private static Column runs() {
    return new Column("runs", r -> r.succeeded() + "/" + r.runsRequested());
  }

  private static String table(List<ScenarioResult> rows, List<Column> columns) {
    List<List<String>> cells = new ArrayList<>();
    List<String> heading = new ArrayList<>(List.of("scenario"));
    columns.forEach(c -> heading.add(c.heading()));
    cells.add(heading);
    for (ScenarioResult row : rows) {
      List<String> line = new ArrayList<>(List.of(row.scenario().name()));
      columns.forEach(c -> line.add(c.cell().apply(row)));
      cells.add(line);
    }
    int[] widths = new int[heading.size()];
    for (List<String> line : cells) {
      for (int i = 0; i < line.size(); i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (List<String> line : cells) {
      StringBuilder row = new StringBuilder("  ");
      for (int i = 0; i < line.size(); i++) {
        row.append(String.format("%-" + widths[i] + "s", line.get(i))).append("  ");
      }
      text.append(row.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  private static String medianRange(ScenarioResult result, Metric metric) {
    return result.summary(metric)
        .map(s -> metric.format(s.median()) + " (" + metric.format(s.min()) + " - "
            + metric.format(s.max()) + ")")
        .orElse(DASH);
  }

  private static String medianP99(ScenarioResult result, Metric metric) {
    return result.summary(metric)
        .map(s -> metric.format(s.median()) + ", p99 " + metric.format(s.p99()) + " ("
            + metric.format(s.min()) + " - " + metric.format(s.max()) + ")")
        .orElse(DASH);
  }

  /** In how many successful runs a 0-or-1 count was 1, e.g. {@code 2 of 4}. */
  private static String runsWith(ScenarioResult result, Metric metric) {
    return result.summary(metric)
        .map(s -> result.runs().stream().filter(RunResult::succeeded)
            .filter(r -> r.value(metric).filter(v -> v > 0).isPresent()).count()
            + " of " + s.count())
        .orElse(DASH);
  }

  private static String max(ScenarioResult result, Metric metric) {
    return result.summary(metric).map(s -> metric.format(s.max())).orElse(DASH);
  }

  /** Metrics measured by some scenarios only, one line each. */
  private static String extras(List<ScenarioResult> members, List<Metric> metrics) {
    StringBuilder text = new StringBuilder();
    for (ScenarioResult result : members) {
      for (Metric metric : metrics) {
        if (result.summary(metric).isPresent()) {
          text.append("  ").append(result.scenario().name()).append(": ").append(metric.label())
              .append(' ').append(medianRange(result, metric)).append('\n');
        }
      }
    }
    return text.toString();
  }

  private static String verdicts(List<ScenarioResult> members) {
    StringBuilder text = new StringBuilder();
    for (ScenarioResult result : members) {
      for (Target.Verdict verdict : result.verdicts()) {
        text.append("  ").append(verdict.status()).append("  ").append(result.scenario().name())
            .append(": ").append(verdict.target().describe()).append(": ")
            .append(verdict.value().map(verdict.target().metric()::format)
                .orElse("no successful run"))
            .append('\n');
      }
    }
    return text.toString();
  }

  /** Failed runs and remarkable runs, so no figure hides what happened. */
  private static String problems(List<ScenarioResult> members) {
    StringBuilder text = new StringBuilder();
    for (ScenarioResult result : members) {
      for (RunResult run : result.runs()) {
        String where = "  " + result.scenario().name() + " run " + run.run() + ": ";
        run.error().ifPresent(e -> text.append(where).append("FAILED: ")
            .append(e.lines().findFirst().orElse(e)).append('\n'));
        run.notes().forEach(n -> text.append(where).append(n).append('\n'));
      }
    }
    return text.toString();
  }

  private static String nodeLossIncumbents(List<ScenarioResult> members) {
    StringBuilder text = new StringBuilder("  Beside the incumbents, node loss write outage ("
        + Incumbents.SOURCE + "):\n");
    List<String[]> rows = new ArrayList<>();
    for (ScenarioResult result : members) {
      String name = result.scenario().name();
      if (name.equals("node-loss") || name.equals("sync-failover")) {
        rows.add(new String[] {"Baton " + name, medianRange(result, Metric.OUTAGE)});
      }
    }
    Incumbents.all().stream().filter(f -> f.nodeLossOutageMs().isPresent())
        .forEach(f -> rows.add(new String[] {f.system(), f.nodeLossOutage()}));
    return text + columns(rows);
  }

  private static String switchoverIncumbents(List<ScenarioResult> members) {
    StringBuilder text = new StringBuilder("  Beside the incumbents, switchover write outage and"
        + " command/handover time (" + Incumbents.SOURCE + "):\n");
    List<String[]> rows = new ArrayList<>();
    for (ScenarioResult result : members) {
      rows.add(new String[] {"Baton " + result.scenario().name(),
          medianRange(result, Metric.OUTAGE), medianRange(result, Metric.HANDOVER)});
    }
    Incumbents.all().forEach(f -> rows.add(
        new String[] {f.system(), f.switchoverOutage(), f.switchoverCommand()}));
    return text + columns(rows);
  }

  private static String columns(List<String[]> rows) {
    int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] widths = new int[columns];
    rows.forEach(r -> {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    });
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder("    ");
      for (int i = 0; i < row.length; i++) {
        line.append(String.format("%-" + widths[i] + "s", row[i])).append("  ");
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  /** The results as JSON: machine, options, clocks, and per scenario every run and summary. */
  public ObjectNode json(ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    root.put("benchmark", "baton");
    root.put("startedAt", started.toString());
    root.put("writtenAt", Instant.now().toString());
    ObjectNode facts = root.putObject("machine");
    facts.put("cores", machine.cores());
    facts.put("memoryMb", machine.memoryMb());
    facts.put("os", machine.os());
    facts.put("java", machine.java());
    facts.put("postgres", machine.postgres());
    facts.put("kafka", machine.kafka());
    facts.put("haproxy", machine.haproxy());
    facts.put("pgbouncer", machine.pgbouncer());
    facts.put("batonCommit", machine.batonCommit());
    facts.put("date", machine.date().toString());
    ObjectNode settings = root.putObject("options");
    settings.put("quick", options.quick());
    options.runs().ifPresent(n -> settings.put("runs", n));
    ArrayNode names = settings.putArray("scenarios");
    options.scenarios().forEach(names::add);
    root.put("clocks", CLOCKS);
    ArrayNode scenarios = root.putArray("scenarios");
    for (ScenarioResult result : results) {
      scenarios.add(scenario(mapper, result));
    }
    ArrayNode incumbents = root.putArray("incumbents");
    for (Incumbents.Figures f : Incumbents.all()) {
      ObjectNode node = incumbents.addObject();
      node.put("system", f.system());
      node.put("switchoverOutage", f.switchoverOutage());
      f.switchoverOutageMs().ifPresent(v -> node.put("switchoverOutageMs", v));
      node.put("switchoverCommand", f.switchoverCommand());
      f.switchoverCommandMs().ifPresent(v -> node.put("switchoverCommandMs", v));
      node.put("nodeLossOutage", f.nodeLossOutage());
      f.nodeLossOutageMs().ifPresent(v -> node.put("nodeLossOutageMs", v));
    }
    root.put("incumbentsSource", Incumbents.SOURCE);
    return root;
  }

  private static ObjectNode scenario(ObjectMapper mapper, ScenarioResult result) {
    Scenario scenario = result.scenario();
    ObjectNode node = mapper.createObjectNode();
    node.put("name", scenario.name());
    node.put("group", scenario.group().name().toLowerCase(java.util.Locale.ROOT));
    node.put("description", scenario.description());
    node.put("lab", scenario.labKind().description());
    node.put("runsRequested", result.runsRequested());
    node.put("runsSucceeded", result.succeeded());
    node.put("tookSeconds", round(result.took().toMillis() / 1000.0));
    ObjectNode summary = node.putObject("summary");
    for (Map.Entry<Metric, Summary> entry : result.summaries().entrySet()) {
      Summary s = entry.getValue();
      ObjectNode stats = summary.putObject(entry.getKey().jsonKey());
      stats.put("count", s.count());
      stats.put("median", round(s.median()));
      stats.put("p99", round(s.p99()));
      stats.put("min", round(s.min()));
      stats.put("max", round(s.max()));
    }
    ArrayNode targets = node.putArray("targets");
    for (Target.Verdict verdict : result.verdicts()) {
      ObjectNode target = targets.addObject();
      target.put("metric", verdict.target().metric().jsonKey());
      target.put("statistic", verdict.target().statistic().label());
      target.put("limit", verdict.target().limit());
      verdict.value().ifPresent(v -> target.put("value", round(v)));
      target.put("status", verdict.status());
      target.put("text", verdict.target().describe());
    }
    ArrayNode runs = node.putArray("runs");
    for (RunResult run : result.runs()) {
      ObjectNode entry = runs.addObject();
      entry.put("run", run.run());
      entry.put("ok", run.succeeded());
      ObjectNode values = entry.putObject("values");
      for (Metric metric : Metric.values()) {
        run.value(metric).ifPresent(v -> values.put(metric.jsonKey(), round(v)));
      }
      if (!run.notes().isEmpty()) {
        ArrayNode notes = entry.putArray("notes");
        run.notes().forEach(notes::add);
      }
      run.error().ifPresent(e -> entry.put("error", e));
    }
    return node;
  }

  /** Tenths of a millisecond: finer would be noise. */
  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  /** Writes the JSON through a temporary file, so a reader never sees half of it. */
  public void writeJson(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temporary = parent.resolve(file.getFileName() + ".tmp");
    mapper.writeValue(temporary.toFile(), json(mapper));
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A one-line account of a run for the progress output. */
  public static String progress(Scenario scenario, RunResult run) {
    List<Metric> shown = switch (scenario.group()) {
      case FAILOVER -> List.of(Metric.OUTAGE, Metric.LONGEST_WRITE, Metric.DETECTION,
          Metric.PROMOTION, Metric.SYNC_REPLACED, Metric.OVERLAP, Metric.LOST_WRITES);
      case SWITCHOVER -> List.of(Metric.OUTAGE, Metric.LONGEST_WRITE, Metric.HANDOVER,
          Metric.LOST_WRITES);
      case SUBSCRIBERS -> List.of(Metric.LISTENER, Metric.HAPROXY, Metric.PGBOUNCER);
      case KAFKA -> List.of(Metric.KAFKA_AWAY, Metric.OUTAGE, Metric.LONGEST_WRITE,
          Metric.FENCED, Metric.FAILOVER, Metric.WRITES_RESUMED);
    };
    if (run.error().isPresent()) {
      return "FAILED: " + run.error().get().lines().findFirst().orElse("");
    }
    List<String> parts = new ArrayList<>();
    for (Metric metric : shown) {
      run.value(metric).ifPresent(v -> parts.add(metric.label() + " " + metric.format(v)));
    }
    parts.addAll(run.notes());
    return String.join(", ", parts);
  }
}
