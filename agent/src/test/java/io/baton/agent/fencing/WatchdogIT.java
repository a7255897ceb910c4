package io.baton.agent.fencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watchdog process against a stand-in postmaster: a real process named in postmaster.pid. */
class WatchdogIT {
  private Path dataDirectory;
  private Process postmaster;
  private Watchdog watchdog;
  private final CompletableFuture<Long> fenced = new CompletableFuture<>();

  @BeforeEach
  void start() throws Exception {
    dataDirectory = Files.createTempDirectory("baton-watchdog");
    postmaster = new ProcessBuilder("sleep", "120").start();
    Files.writeString(dataDirectory.resolve("postmaster.pid"), postmaster.pid() + "\n" + dataDirectory + "\n");
    watchdog =
        Watchdog.start(dataDirectory, Duration.ofSeconds(5), dataDirectory.resolve("watchdog.log"), fenced::complete);
  }

  @AfterEach
  void stop() {
    watchdog.close();
    postmaster.destroyForcibly();
  }

  @Test
  void fencesThePostmasterWhenTheLeaseRunsOutUnrenewed() throws Exception {
    long armedAt = System.nanoTime();
    watchdog.arm(armedAt + Duration.ofMillis(300).toNanos());
    assertEquals(postmaster.pid(), fenced.get(10, TimeUnit.SECONDS));
    assertTrue(postmaster.waitFor(2, TimeUnit.SECONDS));
    long took = Duration.ofNanos(System.nanoTime() - armedAt).toMillis();
    assertTrue(took >= 300, "fenced before the deadline: " + took + " ms");
  }

  @Test
  void aRenewedOrDisarmedLeaseFencesNothing() throws Exception {
    watchdog.arm(System.nanoTime() + Duration.ofMillis(300).toNanos());
    watchdog.arm(System.nanoTime() + Duration.ofSeconds(3).toNanos());
    Thread.sleep(600);
    watchdog.disarm();
    Thread.sleep(3000);
    assertTrue(postmaster.isAlive());
    assertFalse(fenced.isDone());
  }

  @Test
  void aDeadlineBeyondTheLongestLeaseIsCut() throws Exception {
    watchdog.arm(System.nanoTime() + Duration.ofHours(1).toNanos());
    assertEquals(postmaster.pid(), fenced.get(15, TimeUnit.SECONDS));
  }
}
