package io.baton.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.baton.benchmark.campaign.Campaign;
import io.baton.benchmark.campaign.CampaignReport;
import io.baton.benchmark.campaign.CampaignResult;
import io.baton.events.ReplicationMode;
import io.baton.testkit.process.ChildProcess;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A short randomized fault campaign with a fixed seed (the long ones run with {@code ./dev bench
 * --campaign}): 20 faults of nearly every kind the campaign knows, one or two at a time, on a
 * 3-node cluster in network namespaces under a client and a writer beside every node, in
 * asynchronous mode. It fails on any violated invariant, with the schedule that led to it; the
 * seed replays it with {@code ./dev bench --campaign --seed 1013 --faults 20}.
 */
class FaultCampaignIT {
  /** Its 20 faults, in 14 steps, cover 15 of the catalog's 16 kinds (all but broker-restart). */
  private static final long SEED = 1013;
  private static final int FAULTS = 20;

  @Test
  void aShortSeededCampaignBreaksNoInvariant() throws Exception {
    CampaignResult result = new Campaign(
        new CampaignResult.Settings(SEED, FAULTS, ReplicationMode.ASYNC, 1),
        ChildProcess.logDirectory(), false).run();
    System.out.print(CampaignReport.render(result));
    assertEquals(Optional.empty(), result.stoppedEarly(), CampaignReport.render(result));
    assertEquals(List.of(), result.verdict().violations(),
        "violations:\n" + CampaignReport.violations(result));
    assertEquals(FAULTS, result.faultsInjected());
  }
}
