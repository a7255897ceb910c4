package io.baton.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OptionsTest {
  private static final List<String> KNOWN = List.of("postmaster-kill", "node-loss", "partition");

  @Test
  void defaultsRunEveryScenarioItsOwnNumberOfTimes() {
    Options options = Options.parse(new String[0], KNOWN);
    assertEquals(KNOWN, options.scenarios());
    assertEquals(Optional.empty(), options.runs());
    assertEquals(Options.DEFAULT_OUT, options.out());
    assertEquals(10, options.runsOf(10, 2));
  }

  @Test
  void everyOptionIsRead() {
    Options options = Options.parse(new String[] {"--scenarios", "partition,node-loss",
        "--runs", "3", "--out", "/tmp/x.json", "--quick"}, KNOWN);
    assertEquals(List.of("partition", "node-loss"), options.scenarios());
    assertEquals(3, options.runsOf(10, 2), "--runs wins over --quick");
    assertEquals(Path.of("/tmp/x.json"), options.out());
    assertTrue(options.quick());
    assertEquals(2, Options.parse(new String[] {"--quick"}, KNOWN).runsOf(10, 2));
  }

  @Test
  void theCampaignHasItsOwnOptionsAndOutput() {
    Options options = Options.parse(new String[] {"--campaign", "--seed", "42", "--faults", "20",
        "--mode", "both", "--brokers", "3"}, KNOWN);
    Options.Campaign campaign = options.campaign().orElseThrow();
    assertEquals(Optional.of(42L), campaign.seed());
    assertEquals(20, campaign.faults());
    assertEquals(List.of(io.baton.events.ReplicationMode.ASYNC,
        io.baton.events.ReplicationMode.SYNC), campaign.modes());
    assertEquals(3, campaign.brokers());
    assertEquals(Options.DEFAULT_CAMPAIGN_OUT, options.out());
    Options defaults = Options.parse(new String[] {"--campaign"}, KNOWN);
    assertEquals(new Options.Campaign(Optional.empty(), Options.DEFAULT_FAULTS,
        List.of(io.baton.events.ReplicationMode.ASYNC), 1), defaults.campaign().orElseThrow());
    assertEquals(Optional.empty(), Options.parse(new String[0], KNOWN).campaign());
  }

  @Test
  void campaignOptionsAreNotMixedWithTheScenarios() {
    assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--campaign", "--runs", "3"}, KNOWN));
    assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--seed", "3"}, KNOWN));
    IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--campaign", "--mode", "strict"}, KNOWN));
    assertTrue(mode.getMessage().contains("strict"), mode.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--campaign", "--faults", "0"}, KNOWN));
    assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--campaign", "--seed", "x"}, KNOWN));
    assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--campaign", "--brokers", "2"}, KNOWN));
  }

  @Test
  void mistakesAreNamed() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--scenarios", "postmaster-kil"}, KNOWN));
    assertTrue(unknown.getMessage().contains("postmaster-kil"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--runs", "zero"}, KNOWN));
    assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--runs", "0"}, KNOWN));
    assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--out"}, KNOWN));
    assertThrows(IllegalArgumentException.class,
        () -> Options.parse(new String[] {"--fast"}, KNOWN));
  }
}
