package io.baton.cli;

import io.baton.client.apiaccess.ApiAccess;
import io.baton.lab.Lab;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/** One in-process run of the CLI against a lab, with what it printed. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(Lab lab, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--bootstrap-servers", lab.bootstrapServers(), "--topic-prefix", lab.topics().prefix(),
        "--operator", Lab.OPERATOR, "--operator-key", lab.operatorKeyFile().toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // The operator's token for the agents' APIs (rolling-restart), as an operator would set it.
    java.util.Map<String, String> environment = new java.util.HashMap<>(System.getenv());
    environment.put(ApiAccess.TOKEN_FILE_VARIABLE, lab.operatorTokenFile().toString());
    int exit = BatonCli.run(all.toArray(String[]::new), environment,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    CliRun run = new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    // Shown in the test report, so a failure can be read without rerunning.
    System.out.println("$ baton " + String.join(" ", args) + "\n" + run.out + run.err + "(exit " + exit + ")");
    return run;
  }

  /** Heartbeats trail PostgreSQL by up to a heartbeat interval: ask again for a little while. */
  static CliRun until(Lab lab, Predicate<CliRun> done, String... args) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    CliRun run = of(lab, args);
    while (!done.test(run) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      run = of(lab, args);
    }
    return run;
  }

  /** {@code baton status} shows the master, and n1, n2, n3 up, each standby streaming from it. */
  static boolean showsAllStreaming(CliRun run, String cluster, String master) {
    List<String> lines = run.out().lines().toList();
    return run.exitCode() == 0
        && run.out().contains("Cluster " + cluster + ": master " + master + " ")
        && List.of("n1", "n2", "n3").stream().allMatch(node -> lines.stream().anyMatch(line ->
            line.startsWith(node + " ") && line.contains(" | up ")
                && (node.equals(master)
                    ? line.contains(" | primary ") && line.contains("2 standbys streaming")
                    : line.contains(" | standby ") && line.contains("streaming from " + master))));
  }

  /** For assertion messages. */
  String transcript() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }
}
