package io.baton.testkit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.testkit.MissingToolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeClockTest {
  @TempDir Path root;

  @Test
  void writesOffsetsAsSignedSecondsWithMilliseconds() {
    assertEquals("+30.000", FakeClock.notation(Duration.ofSeconds(30)));
    assertEquals("-0.250", FakeClock.notation(Duration.ofMillis(-250)));
    assertEquals("+0.000", FakeClock.notation(Duration.ZERO));
    assertEquals("-90.005", FakeClock.notation(Duration.ofSeconds(-90).minusMillis(5)));
  }

  @Test
  void replacesTheOffsetFile() throws Exception {
    Path file = root.resolve("offset");
    FakeClock.write(file, Duration.ofSeconds(5));
    FakeClock.write(file, Duration.ofSeconds(-2));
    assertEquals("-2.000\n", Files.readString(file));
    try (var files = Files.list(root)) {
      assertEquals(1, files.count(), "no temporary file left");
    }
  }

  @Test
  void findsTheLibraryInTheArchitecturesDirectoryOrALocalBuild() throws Exception {
    Path system = Files.createDirectories(root.resolve("usr/lib"));
    Path local = Files.createDirectories(root.resolve("usr/local/lib"));
    assertEquals(Optional.empty(), FakeClock.libraryUnder(system, local));

    Path built = Files.createDirectories(local.resolve("faketime")).resolve("libfaketime.so.1");
    Files.createFile(built);
    assertEquals(Optional.of(built), FakeClock.libraryUnder(system, local));

    Path debian = Files.createDirectories(system.resolve("aarch64-linux-gnu/faketime"))
        .resolve("libfaketime.so.1");
    Files.createFile(debian);
    assertEquals(Optional.of(debian), FakeClock.libraryUnder(system, local));
  }

  @Test
  void aMissingLibraryFailsWithHowToInstallIt() {
    MissingToolException e = assertThrows(MissingToolException.class,
        () -> FakeClock.requireLibrary(Optional.empty()));
    assertTrue(e.getMessage().contains("apt-get install faketime"), e.getMessage());
  }

  @Test
  void preloadsTheLibraryWithoutFakingTheMonotonicClockOrItsTimedWaits() {
    var environment = FakeClock.environment(Path.of("/lib/libfaketime.so.1"), Path.of("/o"));
    assertEquals("/lib/libfaketime.so.1", environment.get("LD_PRELOAD"));
    assertEquals("/o", environment.get("FAKETIME_TIMESTAMP_FILE"));
    assertEquals("1", environment.get("FAKETIME_DONT_FAKE_MONOTONIC"));
    assertEquals("0", environment.get("FAKETIME_FORCE_MONOTONIC_FIX"));
  }
}
