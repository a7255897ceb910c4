package io.baton.testkit.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmLauncherTest {

  @Test
  void runsTheMainClassWithThisClasspathSmallHeapAndParentPid() {
    List<String> command = JvmLauncher.mainClass("org.example.Main").args("a", "b").command();

    assertTrue(command.get(0).endsWith("/bin/java"), command.get(0));
    assertTrue(command.containsAll(JvmLauncher.DEFAULT_JVM_OPTIONS), command.toString());
    assertTrue(command.contains("-Dbaton.parent-pid=" + ProcessHandle.current().pid()));
    int cp = command.indexOf("-cp");
    assertEquals(System.getProperty("java.class.path"), command.get(cp + 1));
    assertEquals(List.of("org.example.Main", "a", "b"),
        command.subList(command.size() - 3, command.size()));
  }

  @Test
  void canLeaveOutTheParentPidAndReplaceJvmOptions() {
    List<String> command = JvmLauncher.mainClass("org.example.Main")
        .withoutParentPid()
        .jvmOptions(List.of("-Xmx64m"))
        .systemProperty("x", "y")
        .command();

    assertFalse(command.stream().anyMatch(s -> s.startsWith("-Dbaton.parent-pid")));
    assertEquals(List.of("-Xmx64m", "-Dx=y", "-cp"), command.subList(1, 4));
  }
}
