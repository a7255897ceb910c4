package io.baton.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line: {@code [--scenarios a,b,c] [--runs N] [--out FILE] [--quick] [--help]}.
 *
 * @param scenarios the scenarios to run, by name; all when none were given
 * @param runs runs per scenario instead of each scenario's own number
 * @param out where the JSON goes; relative paths are relative to the checkout
 * @param quick fewer runs per scenario, for a smoke check
 */
public record Options(List<String> scenarios, Optional<Integer> runs, Path out, boolean quick,
    boolean help) {

  public static final Path DEFAULT_OUT = Path.of("benchmark", "results", "latest.json");

  public Options {
    scenarios = List.copyOf(scenarios);
  }

  public static String usage(List<String> known) {
    return String.join("\n",
        "usage: BenchmarkMain [--scenarios a,b,c] [--runs N] [--out FILE] [--quick]",
        "  --scenarios  comma-separated, default all: " + String.join(",", known),
        "  --runs N     runs per scenario (default: each scenario's own, 8 to 100)",
        "  --out FILE   the JSON results, default " + DEFAULT_OUT + " in the checkout",
        "  --quick      fewer runs, for a smoke check",
        "Run it from inside the checkout after ./mvnw install -DskipTests: the lab starts the",
        "packaged agent, coordinator and subscriber jars.");
  }

  /**
   * Parses the arguments against the known scenario names.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Options parse(String[] args, List<String> known) {
    List<String> scenarios = new ArrayList<>();
    Optional<Integer> runs = Optional.empty();
    Path out = DEFAULT_OUT;
    boolean quick = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--scenarios" -> {
          for (String name : value(args, ++i, "--scenarios").split(",")) {
            String trimmed = name.strip();
            if (!known.contains(trimmed)) {
              throw new IllegalArgumentException("unknown scenario '" + trimmed + "'; known: "
                  + String.join(", ", known));
            }
            if (!scenarios.contains(trimmed)) {
              scenarios.add(trimmed);
            }
          }
        }
        case "--runs" -> {
          String text = value(args, ++i, "--runs");
          try {
            runs = Optional.of(Integer.parseInt(text));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--runs wants a number, not '" + text + "'");
          }
          if (runs.get() < 1) {
            throw new IllegalArgumentException("--runs wants at least 1, not " + runs.get());
          }
        }
        case "--out" -> out = Path.of(value(args, ++i, "--out"));
        case "--quick" -> quick = true;
        case "--help", "-h" -> help = true;
        default -> throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
      }
    }
    return new Options(scenarios.isEmpty() ? known : scenarios, runs, out, quick, help);
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length || args[index].startsWith("--")) {
      throw new IllegalArgumentException(option + " wants a value");
    }
    return args[index];
  }

  /** How many runs a scenario gets: {@code --runs}, else its quick or default number. */
  public int runsOf(int defaultRuns, int quickRuns) {
    return runs.orElse(quick ? quickRuns : defaultRuns);
  }
}
