package io.baton.cli.args;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArgumentParserTest {
  private static final CommandSpec SWITCHOVER = new CommandSpec(
      "switchover", "Hand over", List.of("CLUSTER"),
      List.of(OptionSpec.value("--to", "NODE", "target"),
          OptionSpec.value("--timeout", "DURATION", "wait", "30s")), "");
  private static final CommandSpec RESTART = new CommandSpec(
      "rolling-restart", "Restart", List.of("CLUSTER"),
      List.of(OptionSpec.flag("--json", "json"), OptionSpec.rest("--restart-command", "CMD", "hook")), "");
  private static final ArgumentParser PARSER = new ArgumentParser(
      List.of(SWITCHOVER, RESTART),
      List.of(OptionSpec.value("--bootstrap-servers", "HOSTS", "kafka"),
          OptionSpec.value("--topic-prefix", "PREFIX", "prefix", "baton.")));

  private static ParsedArguments parse(String... args) {
    return PARSER.parse(List.of(args));
  }

  private static UsageException error(String... args) {
    return assertThrows(UsageException.class, () -> parse(args));
  }

  @Test
  void readsTheCommandItsArgumentAndOptionsInBothSpellings() {
    ParsedArguments parsed = parse("switchover", "demo", "--to", "n2", "--timeout=5s");

    assertEquals(Optional.of(SWITCHOVER), parsed.command());
    assertEquals("demo", parsed.argument(0));
    assertEquals(Optional.of("n2"), parsed.value("--to"));
    assertEquals(Optional.of("5s"), parsed.value("--timeout"));
  }

  @Test
  void globalOptionsGoBeforeOrAfterTheCommand() {
    ParsedArguments before = parse("--bootstrap-servers", "k:9092", "switchover", "demo");
    ParsedArguments after = parse("switchover", "demo", "--bootstrap-servers=k:9092");

    assertEquals(Optional.of("k:9092"), before.value("--bootstrap-servers"));
    assertEquals(Optional.of("k:9092"), after.value("--bootstrap-servers"));
    assertEquals("demo", before.argument(0));
  }

  @Test
  void anAbsentOptionHasItsDefault() {
    ParsedArguments parsed = parse("switchover", "demo");

    assertEquals(Optional.of("30s"), parsed.value("--timeout"));
    assertEquals(Optional.of("baton."), parsed.value("--topic-prefix"));
    assertEquals(Optional.empty(), parsed.value("--to"));
  }

  @Test
  void aRestOptionTakesEverythingAfterItEvenWhatLooksLikeOptions() {
    ParsedArguments parsed = parse("rolling-restart", "demo", "--restart-command", "/bin/up", "--minor", "15.8");

    assertEquals(List.of("/bin/up", "--minor", "15.8"), parsed.rest("--restart-command"));
    assertFalse(parsed.flag("--json"));
  }

  @Test
  void aRestOptionNeedsACommand() {
    assertEquals("--restart-command needs a CMD", error("rolling-restart", "demo", "--restart-command").getMessage());
  }

  @Test
  void anUnknownOptionIsAnErrorThatNamesItAndTheCommand() {
    UsageException e = error("switchover", "demo", "--too", "n2");

    assertEquals("unknown option --too", e.getMessage());
    assertEquals(Optional.of(SWITCHOVER), e.command());
  }

  @Test
  void anOptionOfAnotherCommandIsUnknown() {
    assertEquals("unknown option --json", error("switchover", "demo", "--json").getMessage());
  }

  @Test
  void aShortOptionOtherThanHelpIsUnknown() {
    assertEquals("unknown option -t", error("switchover", "demo", "-t", "n2").getMessage());
  }

  @Test
  void aMissingArgumentIsNamed() {
    UsageException e = error("switchover", "--to", "n2");

    assertEquals("missing CLUSTER", e.getMessage());
    assertEquals(Optional.of(SWITCHOVER), e.command());
  }

  @Test
  void anExtraArgumentIsAnError() {
    assertEquals("unexpected argument 'n2'", error("switchover", "demo", "n2").getMessage());
  }

  @Test
  void anOptionWithoutItsValueIsAnError() {
    assertEquals("--to needs a value (NODE)", error("switchover", "demo", "--to").getMessage());
    assertEquals("--to needs a value (NODE)", error("switchover", "demo", "--to", "--timeout", "5s").getMessage());
  }

  @Test
  void aFlagTakesNoValue() {
    assertEquals("--json takes no value", error("rolling-restart", "demo", "--json=yes").getMessage());
  }

  @Test
  void anOptionGivenTwiceIsAnError() {
    assertEquals("--to is given twice", error("switchover", "demo", "--to", "n2", "--to", "n3").getMessage());
  }

  @Test
  void anUnknownCommandIsAnError() {
    UsageException e = error("swtichover", "demo");

    assertEquals("unknown command 'swtichover'", e.getMessage());
    assertEquals(Optional.empty(), e.command());
  }

  @Test
  void noCommandIsAnError() {
    assertEquals("no command given", error("--bootstrap-servers", "k:9092").getMessage());
  }

  @Test
  void helpAnywhereSkipsTheArgumentChecks() {
    ParsedArguments parsed = parse("switchover", "--help");

    assertTrue(parsed.help());
    assertEquals(Optional.of(SWITCHOVER), parsed.command());
    assertTrue(parse("-h").help());
  }

  @Test
  void theUsageLineListsArgumentsAndOptions() {
    assertEquals("baton switchover CLUSTER [--to NODE] [--timeout DURATION]", SWITCHOVER.usage());
    assertEquals("baton rolling-restart CLUSTER [--json] [--restart-command CMD ...]", RESTART.usage());
  }

  @Test
  void theUsageErrorShowsTheCommandsUsage() {
    String text = Help.usageError(error("switchover"));

    assertEquals("baton: missing CLUSTER\nusage: baton switchover CLUSTER [--to NODE] [--timeout DURATION]\n"
        + "Run 'baton switchover --help' for more.\n", text);
  }
}
