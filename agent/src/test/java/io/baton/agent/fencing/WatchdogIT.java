package io.baton.agent.fencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog process against a stand-in postmaster: a real process named in postmaster.pid. It
 * fences only what may accept writes (no standby.signal), from the lease's deadline on.
 */
class WatchdogIT {
  private Path dataDirectory;
  private Process postmaster;
  private Watchdog watchdog;
  private Process bare;
  private final CompletableFuture<Long> fenced = new CompletableFuture<>();

  @BeforeEach
  void start() throws Exception {
    dataDirectory = Files.createTempDirectory("baton-watchdog");
    // A stand-in postmaster works in its data directory, as the watchdog checks.
    postmaster = new ProcessBuilder("sleep", "120").directory(dataDirectory.toFile()).start();
    Files.writeString(
        dataDirectory.resolve("postmaster.pid"), postmaster.pid() + "\n" + dataDirectory + "\n");
  }

  private void startWatchdog() throws IOException {
    watchdog =
        Watchdog.start(
            dataDirectory, Duration.ofSeconds(5), java.util.Optional.empty(),
            dataDirectory.resolve("watchdog.log"), fenced::complete);
  }

  @AfterEach
  void stop() throws IOException {
    if (watchdog != null) {
      watchdog.close();
    }
    if (bare != null) {
      bare.destroyForcibly();
    }
    postmaster.destroyForcibly();
    try (Stream<Path> files = Files.walk(dataDirectory)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Test
  void fencesThePostmasterWhenTheLeaseRunsOutUnrenewed() throws Exception {
    startWatchdog();
    long armedAt = System.nanoTime();
    watchdog.arm(armedAt + Duration.ofMillis(300).toNanos());
    assertEquals(postmaster.pid(), fenced.get(10, TimeUnit.SECONDS));
    assertTrue(postmaster.waitFor(2, TimeUnit.SECONDS));
    long took = Duration.ofNanos(System.nanoTime() - armedAt).toMillis();
    assertTrue(took >= 300, "fenced before the deadline: " + took + " ms");
  }

  /** PostgreSQL's OS user writes postmaster.pid: a pid of another process is never signalled. */
  @Test
  void aPostmasterPidNamingAProcessElsewhereIsNeverSignalled() throws Exception {
    Process bystander = new ProcessBuilder("sleep", "120").start();
    try {
      Files.writeString(dataDirectory.resolve("postmaster.pid"), bystander.pid() + "\n");
      startWatchdog();
      watchdog.arm(System.nanoTime() + Duration.ofMillis(100).toNanos());
      Thread.sleep(800);
      assertTrue(bystander.isAlive(), "a process outside the data directory was fenced");
      assertFalse(fenced.isDone());
    } finally {
      bystander.destroyForcibly();
    }
  }

  @Test
  void aRenewedLeaseFencesNothing() throws Exception {
    startWatchdog();
    watchdog.arm(System.nanoTime() + Duration.ofMillis(300).toNanos());
    watchdog.arm(System.nanoTime() + Duration.ofSeconds(2).toNanos());
    Thread.sleep(1000);
    assertTrue(postmaster.isAlive());
    assertFalse(fenced.isDone());
  }

  /** A watchdog killed (its own OOM, an operator's mistake) is replaced at the next renewal. */
  @Test
  void aDeadWatchdogProcessIsReplacedAtTheNextRenewal() throws Exception {
    startWatchdog();
    long first = ProcessHandle.current().children()
        .filter(p -> p.pid() != postmaster.pid())
        .filter(p -> p.info().command().orElse("").endsWith("java"))
        .findFirst().orElseThrow().pid();
    ProcessHandle.of(first).ifPresent(ProcessHandle::destroyForcibly);
    Thread.sleep(300);
    assertFalse(watchdog.isAlive());
    watchdog.arm(System.nanoTime() + Duration.ofMillis(300).toNanos());
    assertTrue(watchdog.isAlive(), "started again");
    assertEquals(postmaster.pid(), fenced.get(10, TimeUnit.SECONDS), "and armed at once");
  }

  /**
   * A standby's lease may run out (Kafka is down) without harm; promoted after the deadline, it
   * may accept writes, and is fenced then.
   */
  @Test
  void aStandbyPastTheDeadlineIsLeftAloneUntilItMayAcceptWrites() throws Exception {
    Files.writeString(dataDirectory.resolve("standby.signal"), "");
    startWatchdog();
    watchdog.arm(System.nanoTime() + Duration.ofMillis(200).toNanos());
    Thread.sleep(800);
    assertTrue(postmaster.isAlive(), "a standby is not fenced");
    Files.delete(dataDirectory.resolve("standby.signal"));
    // Armed once and never again: only the watch kept up past the deadline can fence it.
    assertEquals(postmaster.pid(), fenced.get(5, TimeUnit.SECONDS));
  }

  @Test
  void aDeadlineBeyondTheLongestLeaseIsCut() throws Exception {
    startWatchdog();
    watchdog.arm(System.nanoTime() + Duration.ofHours(1).toNanos());
    assertEquals(postmaster.pid(), fenced.get(15, TimeUnit.SECONDS));
  }

  /**
   * Finding 1 of issue 8: the agent dies while it cannot observe its primary (it cannot log in):
   * the watchdog was armed whatever the agent saw, and fences at once.
   */
  @Test
  void theAgentsDeathFencesAPostmasterThatMayAcceptWritesAtOnce() throws Exception {
    bare = bareWatchdog();
    send("arm " + (System.nanoTime() + Duration.ofSeconds(3).toNanos()));
    Thread.sleep(200);
    long diedAt = System.nanoTime();
    bare.getOutputStream().close();
    assertTrue(postmaster.waitFor(3, TimeUnit.SECONDS), "fenced when its agent died");
    assertTrue(Duration.ofNanos(System.nanoTime() - diedAt).toMillis() < 2000);
    assertTrue(bare.waitFor(5, TimeUnit.SECONDS), "the watchdog exits after fencing");
  }

  /**
   * Finding 7 of issue 8: an agent stopped with stop-postgres-on-exit false leaves a primary
   * running; the watchdog keeps its deadline (not fencing early when the agent's pipe closes) and
   * fences when it passes.
   */
  @Test
  void aDetachedWatchdogFencesAtTheDeadlineNotBefore() throws Exception {
    bare = bareWatchdog();
    long deadline = System.nanoTime() + Duration.ofMillis(1500).toNanos();
    send("arm " + deadline);
    send("detach");
    bare.getOutputStream().close();
    Thread.sleep(700);
    assertTrue(postmaster.isAlive(), "not fenced before the deadline");
    assertTrue(postmaster.waitFor(5, TimeUnit.SECONDS), "fenced at the deadline");
    assertTrue(System.nanoTime() - deadline >= 0);
    assertTrue(bare.waitFor(5, TimeUnit.SECONDS), "exits once nothing may accept writes");
  }

  /** Finding 9 of issue 8: the optional watchdog device is written to while the watchdog works. */
  @Test
  void aWatchdogDeviceIsPettedWhileItWorksAndClosedWithTheMagicCharacter() throws Exception {
    Path device = dataDirectory.resolve("device");
    Files.createFile(device);
    bare = bareWatchdog(device.toString());
    send("arm " + (System.nanoTime() + Duration.ofSeconds(10).toNanos()));
    Thread.sleep(2500);
    String petted = Files.readString(device);
    assertTrue(petted.length() >= 2 && petted.chars().allMatch(c -> c == '1'), petted);
    send("exit");
    assertTrue(bare.waitFor(5, TimeUnit.SECONDS));
    assertTrue(Files.readString(device).endsWith("V"), "magic close: the device stops");
    assertTrue(postmaster.isAlive());
  }

  private Process bareWatchdog(String... device) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new java.util.ArrayList<>(List.of(
        java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
        WatchdogMain.class.getName(), dataDirectory.toString(), "5000"));
    command.addAll(List.of(device));
    return new ProcessBuilder(command)
        .redirectError(dataDirectory.resolve("bare-watchdog.log").toFile())
        .start();
  }

  private void send(String line) throws IOException {
    OutputStream in = bare.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }
}
