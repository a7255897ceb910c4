package io.baton.benchmark;

import io.baton.benchmark.campaign.Campaign;
import io.baton.benchmark.campaign.CampaignReport;
import io.baton.benchmark.campaign.CampaignResult;
import io.baton.events.ReplicationMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code ./dev bench --campaign}: one campaign per requested mode, one after the other on a
 * fresh lab each, with the same seed; the summary and every violation on stdout, the JSON of all
 * of them in {@code out} (rewritten after each mode).
 */
final class CampaignMain {
  private CampaignMain() {}

  /** Runs the campaigns; returns how many violations they found. */
  static int run(Options.Campaign options, Path repository, Path out) throws Exception {
    long seed = options.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong(1, 1_000_000));
    Path logs = Path.of(System.getProperty("baton.testkit.log-dir"));
    MachineFacts machine = MachineFacts.collect(repository);
    List<CampaignResult> results = new ArrayList<>();
    int violations = 0;
    for (ReplicationMode mode : options.modes()) {
      CampaignResult result = new Campaign(
          new CampaignResult.Settings(seed, options.faults(), mode, options.brokers()), logs, true).run();
      results.add(result);
      violations += result.verdict().violations().size();
      CampaignReport.writeJson(out, machine, results);
      System.out.println();
      System.out.print(CampaignReport.render(result));
    }
    System.out.println("\nJSON: " + out);
    return violations;
  }
}
