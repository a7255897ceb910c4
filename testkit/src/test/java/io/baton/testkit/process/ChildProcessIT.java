package io.baton.testkit.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ChildProcessIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void startsAJvmWithTheParentPidAndCapturesBothStreams() throws Exception {
    try (ChildProcess child = JvmLauncher.mainClass(TickerMain.class).start()) {
      assertEquals("ready parent=" + ProcessHandle.current().pid(),
          child.awaitLogLine(l -> l.startsWith("ready"), WAIT));
      child.awaitLogLine("to stderr"::equals, WAIT);
      child.awaitLogLine(l -> l.startsWith("tick"), WAIT);
      String log = Files.readString(child.logFile());
      assertTrue(log.contains("to stderr") && log.contains("ready parent="), log);
    }
  }

  @Test
  void stopFreezesTheProcessAndContResumesIt() throws Exception {
    try (ChildProcess child = JvmLauncher.mainClass(TickerMain.class).start()) {
      child.awaitLogLine(l -> l.startsWith("tick"), WAIT);

      child.signal(Signal.STOP);
      Thread.sleep(100);
      int frozenAt = child.lines().size();
      Thread.sleep(300);
      assertEquals(frozenAt, child.lines().size(), "no output while stopped");
      assertTrue(child.isAlive());

      child.signal(Signal.CONT);
      child.awaitLogLine(l -> l.equals("tick 100") || child.lines().size() > frozenAt + 3, WAIT);
    }
  }

  @Test
  void killTreeKillsTheGrandchildrenToo() {
    ChildProcess child = JvmLauncher.mainClass(TickerMain.class).start();
    long grandchild = Long.parseLong(
        child.awaitLogLine(l -> l.startsWith("grandchild"), WAIT).split(" ")[1]);
    assertTrue(Processes.isRunning(grandchild));

    child.killTree();

    assertFalse(child.isAlive());
    assertFalse(Processes.isRunning(grandchild), "grandchild " + grandchild + " survived");
    assertFalse(Processes.alive().containsKey(child.pid()));
  }

  @Test
  void awaitLogLineFailsAsSoonAsTheProcessHasExited() {
    ChildProcess child = JvmLauncher.mainClass(TickerMain.class).args("exit").start();
    long started = System.nanoTime();

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> child.awaitLogLine("never printed"::equals, Duration.ofSeconds(60)));

    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(30)) < 0);
    assertTrue(e.getMessage().contains("leaving"), e.getMessage());
    assertEquals(OptionalInt.of(3), child.waitFor(WAIT));
  }
}
