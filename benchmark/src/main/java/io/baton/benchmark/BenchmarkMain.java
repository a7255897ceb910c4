package io.baton.benchmark;

import io.baton.benchmark.scenarios.Scenario;
import io.baton.benchmark.scenarios.Scenarios;
import io.baton.events.Amounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the benchmark: each chosen scenario several times on a local 3-node lab at default
 * settings, a progress line per run, then the tables on stdout and the JSON in {@code --out}
 * (rewritten after every scenario, so an interrupted run keeps what it measured). With {@code
 * --campaign} it runs the randomized fault campaign instead ({@link CampaignMain}).
 */
public final class BenchmarkMain {
  /** After this many failed runs in a row a scenario is given up: its lab keeps breaking. */
  private static final int FAILURES_IN_A_ROW = 2;

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    List<Scenario> all = Scenarios.all();
    List<String> names = Scenarios.names();
    Options options;
    try {
      options = Options.parse(args, names);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(Options.usage(names));
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(Options.usage(names));
      return;
    }
    Path repository = repository();
    // Child logs (agents, coordinator, subscribers) go with the benchmark's build output.
    if (System.getProperty("baton.testkit.log-dir") == null) {
      System.setProperty("baton.testkit.log-dir",
          repository.resolve("benchmark/target/logs").toString());
    }
    Path out = repository.resolve(options.out());
    if (options.campaign().isPresent()) {
      int violations = CampaignMain.run(options.campaign().get(), repository, out);
      System.exit(violations == 0 ? 0 : 1);
      return;
    }
    Report report = new Report(MachineFacts.collect(repository), options, Instant.now());
    try (Labs labs = new Labs(BenchmarkMain::say)) {
      for (Scenario scenario : all) {
        if (Scenarios.isChosen(scenario, options.scenarios())) {
          ScenarioResult result = run(scenario,
              options.runsOf(scenario.defaultRuns(), scenario.quickRuns()), labs);
          report.add(result);
          report.writeJson(out);
          say(scenario.name() + " done in " + Amounts.millis(result.took().toMillis()) + ": "
              + result.succeeded() + "/" + result.runsRequested() + " runs succeeded");
        }
      }
    }
    System.out.println();
    System.out.print(report.render());
    System.out.println("\nJSON: " + out);
    // The in-process broker and Kafka clients may leave non-daemon threads behind.
    System.exit(0);
  }

  private static ScenarioResult run(Scenario scenario, int runs, Labs labs) {
    say(scenario.name() + ": " + scenario.description() + "; " + runs + " runs");
    long started = System.nanoTime();
    List<RunResult> results = new ArrayList<>();
    Scenario.Session session = null;
    int failuresInARow = 0;
    try {
      for (int run = 1; run <= runs; run++) {
        RunResult result;
        try {
          if (session == null) {
            session = scenario.open(labs.get(scenario.labKind()));
          }
          result = session.run(run);
          failuresInARow = 0;
        } catch (Exception | AssertionError e) {
          System.err.println(scenario.name() + " run " + run + " failed:");
          e.printStackTrace();
          result = RunResult.failed(run, e.toString());
          close(session);
          session = null;
          // The cluster may be anywhere now: the next run gets a fresh lab.
          labs.close();
          failuresInARow++;
        }
        results.add(result);
        say(scenario.name() + " run " + run + "/" + runs + ": " + Report.progress(scenario, result));
        if (failuresInARow == FAILURES_IN_A_ROW) {
          say(scenario.name() + ": " + FAILURES_IN_A_ROW + " failed runs in a row, giving up on it");
          break;
        }
      }
    } finally {
      close(session);
    }
    return new ScenarioResult(scenario, runs, results,
        Duration.ofNanos(System.nanoTime() - started));
  }

  private static void close(Scenario.Session session) {
    if (session == null) {
      return;
    }
    try {
      session.close();
    } catch (Exception e) {
      System.err.println("closing a session failed: " + e);
    }
  }

  private static void say(String line) {
    System.out.println(LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + " " + line);
  }

  /** The checkout: the nearest directory up from here with the benchmark module in it. */
  private static Path repository() {
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("benchmark/pom.xml"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("run the benchmark from inside the Baton checkout, not " + here);
  }
}
