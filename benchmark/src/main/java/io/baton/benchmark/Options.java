package io.baton.benchmark;

import io.baton.events.ReplicationMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line: {@code [--scenarios a,b,c] [--runs N] [--out FILE] [--quick] [--help]}, or
 * for the fault campaign {@code --campaign [--seed N] [--faults K] [--mode async|sync|both]
 * [--brokers 1|3] [--out FILE]}.
 *
 * @param scenarios the scenarios to run, by name; all when none were given
 * @param runs runs per scenario instead of each scenario's own number
 * @param outFile where the JSON goes, when given; relative paths are relative to the checkout
 * @param quick fewer runs per scenario, for a smoke check
 * @param campaign the fault campaign instead of the scenarios
 */
public record Options(List<String> scenarios, Optional<Integer> runs, Optional<Path> outFile,
    boolean quick, boolean help, Optional<Campaign> campaign) {

  public static final Path DEFAULT_OUT = Path.of("benchmark", "results", "latest.json");
  public static final Path DEFAULT_CAMPAIGN_OUT = Path.of("benchmark", "results", "campaign.json");
  public static final int DEFAULT_FAULTS = 30;

  public Options {
    scenarios = List.copyOf(scenarios);
  }

  /**
   * The fault campaign's options.
   *
   * @param seed the schedule's seed; a random one (printed) when not given
   * @param modes the replication modes to run it in, one campaign each, in order
   * @param brokers how many Kafka brokers, each in its own JVM: 1 or 3
   */
  public record Campaign(Optional<Long> seed, int faults, List<ReplicationMode> modes,
      int brokers) {
    public Campaign {
      modes = List.copyOf(modes);
    }
  }

  /** Where the JSON goes: {@code --out}, else the scenarios' or the campaign's default. */
  public Path out() {
    return outFile.orElse(campaign.isPresent() ? DEFAULT_CAMPAIGN_OUT : DEFAULT_OUT);
  }

  public static String usage(List<String> known) {
    return String.join("\n",
        "usage: BenchmarkMain [--scenarios a,b,c] [--runs N] [--out FILE] [--quick]",
        "       BenchmarkMain --campaign [--seed N] [--faults K] [--mode async|sync|both]"
            + " [--brokers 1|3] [--out FILE]",
        "  --scenarios  comma-separated, default all: " + String.join(",", known),
        "  --runs N     runs per scenario (default: each scenario's own, 8 to 100)",
        "  --out FILE   the JSON results, default " + DEFAULT_OUT + " (campaign: "
            + DEFAULT_CAMPAIGN_OUT + ") in the checkout",
        "  --quick      fewer runs, for a smoke check",
        "  --campaign   a randomized fault campaign on a 3-node cluster in network namespaces,",
        "               checking its invariants; exits 1 when one was violated",
        "  --seed N     the campaign's seed (default: random, printed): replays a schedule",
        "  --faults K   how many faults (default " + DEFAULT_FAULTS + ")",
        "  --mode M     replication mode: async (default), sync, or both one after the other",
        "  --brokers B  Kafka brokers, each in its own JVM: 1 (default) or 3",
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
    Optional<Path> out = Optional.empty();
    boolean quick = false;
    boolean help = false;
    boolean campaign = false;
    Optional<Long> seed = Optional.empty();
    Optional<Integer> faults = Optional.empty();
    Optional<List<ReplicationMode>> modes = Optional.empty();
    Optional<Integer> brokers = Optional.empty();
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
        case "--runs" -> runs = Optional.of(positive(args, ++i, "--runs"));
        case "--out" -> out = Optional.of(Path.of(value(args, ++i, "--out")));
        case "--quick" -> quick = true;
        case "--campaign" -> campaign = true;
        case "--seed" -> {
          String text = value(args, ++i, "--seed");
          try {
            seed = Optional.of(Long.parseLong(text));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed wants a number, not '" + text + "'");
          }
        }
        case "--faults" -> faults = Optional.of(positive(args, ++i, "--faults"));
        case "--mode" -> modes = Optional.of(modes(value(args, ++i, "--mode")));
        case "--brokers" -> {
          brokers = Optional.of(positive(args, ++i, "--brokers"));
          if (brokers.get() != 1 && brokers.get() != 3) {
            throw new IllegalArgumentException("--brokers is 1 or 3, not " + brokers.get());
          }
        }
        case "--help", "-h" -> help = true;
        default -> throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
      }
    }
    if (campaign && (!scenarios.isEmpty() || runs.isPresent() || quick)) {
      throw new IllegalArgumentException(
          "--campaign takes --seed, --faults, --mode, --brokers and --out, not --scenarios,"
              + " --runs or --quick");
    }
    if (!campaign && (seed.isPresent() || faults.isPresent() || modes.isPresent()
        || brokers.isPresent())) {
      throw new IllegalArgumentException("--seed, --faults, --mode and --brokers go with"
          + " --campaign");
    }
    Optional<Campaign> settings = campaign
        ? Optional.of(new Campaign(seed, faults.orElse(DEFAULT_FAULTS),
            modes.orElse(List.of(ReplicationMode.ASYNC)), brokers.orElse(1)))
        : Optional.empty();
    return new Options(scenarios.isEmpty() ? known : scenarios, runs, out, quick, help,
        settings);
  }

  private static List<ReplicationMode> modes(String text) {
    return switch (text) {
      case "async" -> List.of(ReplicationMode.ASYNC);
      case "sync" -> List.of(ReplicationMode.SYNC);
      case "both" -> List.of(ReplicationMode.ASYNC, ReplicationMode.SYNC);
      default -> throw new IllegalArgumentException(
          "--mode is async, sync or both, not '" + text + "'");
    };
  }

  private static int positive(String[] args, int index, String option) {
    String text = value(args, index, option);
    int number;
    try {
      number = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " wants a number, not '" + text + "'");
    }
    if (number < 1) {
      throw new IllegalArgumentException(option + " wants at least 1, not " + number);
    }
    return number;
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
