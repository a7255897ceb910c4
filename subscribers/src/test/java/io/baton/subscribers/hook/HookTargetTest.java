package io.baton.subscribers.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.client.MasterChange;
import io.baton.events.EventCodec;
import io.baton.events.Lsn;
import io.baton.events.MasterRecord;
import io.baton.subscribers.follow.ApplyContext;
import io.baton.subscribers.follow.ApplyFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HookTarget} running real (shell script) commands, without Kafka. */
class HookTargetTest {
  @TempDir Path dir;

  private static MasterRecord master(long epoch, String node) {
    return new MasterRecord("orders", epoch, node, "10.0.0." + epoch, 5432, epoch + 1,
        Lsn.parse("0/3000060"), Instant.parse("2026-01-01T00:00:00Z"), "test reason");
  }

  private static MasterChange change(Optional<MasterRecord> previous, MasterRecord current) {
    return new MasterChange(previous, current, Instant.now());
  }

  private static ApplyContext context(boolean superseded) {
    return new ApplyContext() {
      @Override
      public Map<String, MasterRecord> known() {
        return Map.of();
      }

      @Override
      public boolean superseded(String cluster) {
        return superseded;
      }

      @Override
      public boolean sleep(Duration duration) {
        try {
          Thread.sleep(duration.toMillis());
          return true;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    };
  }

  private Path script(String body) throws Exception {
    Path script = dir.resolve("hook.sh");
    Files.writeString(script, "#!/bin/sh\nout=\"$1\"\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private HookTarget hook(Path script, Duration timeout, int retries) {
    return new HookTarget(new HookConfig(true, "g", List.of(),
        List.of(script.toString(), dir.toString()), timeout, retries, Duration.ofMillis(50),
        dir.resolve("state")));
  }

  @Test
  void theRecordArrivesInTheEnvironmentAndOnStandardInputAndNothingElseLeaks() throws Exception {
    Path script = script("env > \"$out/env\"\ncat > \"$out/stdin\"");
    MasterRecord current = master(2, "n2");
    hook(script, Duration.ofSeconds(10), 0).apply(change(Optional.of(master(1, "n1")), current),
        context(false));

    Map<String, String> env = Files.readAllLines(dir.resolve("env")).stream()
        .filter(line -> line.contains("="))
        .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')),
            l -> l.substring(l.indexOf('=') + 1), (a, b) -> b));
    assertEquals("orders", env.get("BATON_CLUSTER"));
    assertEquals("2", env.get("BATON_EPOCH"));
    assertEquals("n2", env.get("BATON_NODE"));
    assertEquals("10.0.0.2", env.get("BATON_HOST"));
    assertEquals("5432", env.get("BATON_PORT"));
    assertEquals("3", env.get("BATON_TIMELINE"));
    assertEquals("test reason", env.get("BATON_REASON"));
    assertEquals("n1", env.get("BATON_PREVIOUS_NODE"));
    Set<String> allowed = Set.of("PATH", "HOME", "LANG", "TZ", "PWD", "SHLVL", "_");
    assertEquals(Set.of(), env.keySet().stream()
        .filter(name -> !name.startsWith("BATON_") && !allowed.contains(name))
        .collect(Collectors.toSet()), "variables inherited from the subscriber");
    assertEquals(current, EventCodec.read(Files.readAllBytes(dir.resolve("stdin")),
        MasterRecord.class));
  }

  @Test
  void freeTextArrivesOnOneLineAndAPreviousNodeThatIsNoNameIsRefused() throws Exception {
    Path script = script("env > \"$out/env\"");
    MasterRecord current = new MasterRecord("orders", 2, "n2", "10.0.0.2", 5432, 3,
        Lsn.parse("0/3000060"), Instant.parse("2026-01-01T00:00:00Z"),
        "promoted\nBATON_HOST=10.6.6.6\r\u0000");
    hook(script, Duration.ofSeconds(10), 0).apply(change(Optional.of(master(1, "n1")), current),
        context(false));
    List<String> lines = Files.readAllLines(dir.resolve("env"));
    assertTrue(lines.contains("BATON_REASON=promoted\\nBATON_HOST=10.6.6.6\\r\\u0000"),
        lines.toString());
    assertTrue(lines.contains("BATON_HOST=10.0.0.2"), lines.toString());
    assertFalse(lines.contains("BATON_HOST=10.6.6.6"), lines.toString());

    for (String hostile : List.of("n1\nBATON_HOST=10.6.6.6", "n1;reboot", "$(reboot)", "N1")) {
      assertThrows(IllegalArgumentException.class,
          () -> HookTarget.environment(master(3, "n3"), hostile), hostile);
    }
  }

  /**
   * The previous node of a restarted subscriber comes from its state file: one that holds
   * something else than a name is refused like an unreadable one, and the hook does not run.
   */
  @Test
  void aStateFileNamingNoNodeIsRefusedAndTheHookDoesNotRun() throws Exception {
    Path script = script("env > \"$out/env\"");
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    Files.writeString(state.resolve("orders.json"), "{\"cluster\":\"orders\",\"epoch\":1,"
        + "\"node\":\"n1\\nBATON_HOST=10.6.6.6\",\"status\":\"SUCCEEDED\",\"attempts\":1,"
        + "\"updatedAt\":\"2026-01-01T00:00:00Z\"}\n");
    Exception refused = assertThrows(Exception.class, () -> hook(script, Duration.ofSeconds(10), 0)
        .apply(change(Optional.empty(), master(2, "n2")), context(false)));
    assertTrue(refused.getMessage().contains("fix or remove it"), refused.getMessage());
    assertTrue(refused.getMessage().chars().noneMatch(Character::isISOControl),
        refused.getMessage());
    assertFalse(Files.exists(dir.resolve("env")), "the hook ran");
  }

  @Test
  void aHookOverItsTimeIsKilledWithItsChildren() throws Exception {
    Path script = script("sleep 60 &\necho $! > \"$out/child.pid\"\nwait");
    long started = System.nanoTime();
    ApplyFailedException failure = assertThrows(ApplyFailedException.class,
        () -> hook(script, Duration.ofMillis(500), 0).apply(
            change(Optional.empty(), master(1, "n1")), context(false)));
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 10);
    assertTrue(failure.getMessage().contains("killed at its time limit"), failure.getMessage());
    long child = Long.parseLong(Files.readString(dir.resolve("child.pid")).strip());
    Thread.sleep(200);
    assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false),
        "the hook's child process " + child + " survived");
  }

  @Test
  void failedRunsAreRetriedAndNeverRepeatedAfterARestart() throws Exception {
    Path script = script("n=$(cat \"$out/count\" 2>/dev/null || echo 0)\nn=$((n+1))\n"
        + "echo $n > \"$out/count\"\n[ $n -ge 3 ]");
    String how = hook(script, Duration.ofSeconds(10), 3)
        .apply(change(Optional.empty(), master(4, "n2")), context(false));
    assertEquals("3", Files.readString(dir.resolve("count")).strip());
    assertTrue(how.contains("run 3"), how);

    // A new subscriber life with the same state directory: epochs up to 4 are done.
    HookTarget restarted = hook(script, Duration.ofSeconds(10), 3);
    String again = restarted.apply(change(Optional.empty(), master(4, "n2")), context(false));
    restarted.apply(change(Optional.empty(), master(3, "n1")), context(false));
    assertEquals("3", Files.readString(dir.resolve("count")).strip(), "ran again: " + again);
    restarted.apply(change(Optional.empty(), master(5, "n1")), context(false));
    assertEquals("4", Files.readString(dir.resolve("count")).strip());
  }

  @Test
  void anEpochStartedBeforeACrashIsNotRunAgain() throws Exception {
    Path script = script("echo ran >> \"$out/runs\"");
    new HookState(dir.resolve("state")).save(new HookState.Run("orders", 7, "n2",
        HookState.Status.STARTED, 0, Instant.now()));
    String how = hook(script, Duration.ofSeconds(10), 0)
        .apply(change(Optional.empty(), master(7, "n2")), context(false));
    assertTrue(how.contains("already started"), how);
    assertFalse(Files.exists(dir.resolve("runs")));
  }

  @Test
  void retriesStopWhenANewerEpochIsWaiting() throws Exception {
    Path script = script("echo ran >> \"$out/runs\"\nexit 1");
    assertThrows(ApplyFailedException.class, () -> hook(script, Duration.ofSeconds(10), 5)
        .apply(change(Optional.empty(), master(1, "n1")), context(true)));
    assertEquals(1, Files.readAllLines(dir.resolve("runs")).size());
  }
}
