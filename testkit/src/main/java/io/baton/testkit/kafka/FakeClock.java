package io.baton.testkit.kafka;

import io.baton.testkit.MissingToolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A child JVM's wall clock shifted by an offset that can change while it runs, with libfaketime
 * (Debian package {@code faketime}) preloaded into it. The offset lives in a file the library
 * reads again every second ({@code FAKETIME_TIMESTAMP_FILE}, {@code FAKETIME_CACHE_DURATION=1}):
 * reading it on every clock call ({@code FAKETIME_NO_CACHE}) costs ~5 us per call, ~50 times the
 * call itself, and a broker reads the clock constantly.
 *
 * <p>Two settings keep the JVM sane. {@code FAKETIME_DONT_FAKE_MONOTONIC=1} leaves {@code
 * System.nanoTime()} alone, or the JVM hangs. {@code FAKETIME_FORCE_MONOTONIC_FIX=0} turns off
 * a workaround libfaketime 0.9.10 enables by itself on current glibc: with it, every timed wait of
 * the JVM ({@code Object.wait}, {@code LockSupport.parkNanos}) returns at once, so each waiting
 * thread spins and {@code Thread.sleep} overshoots - even at offset zero.
 *
 * <p>The library keeps a shared-memory segment and a semaphore in {@code /dev/shm} per process,
 * removed when the process exits normally; {@link #removeLeftovers(long)} removes those of a
 * killed one.
 */
final class FakeClock {
  private static final String INSTALL_HINT = "libfaketime is not installed, so a broker's clock "
      + "cannot be skewed: apt-get install faketime";
  private static final Path SHARED_MEMORY = Path.of("/dev/shm");
  private static final String LIBRARY = "faketime/libfaketime.so.1";

  private FakeClock() {}

  /** The library, where Debian puts it for this machine's architecture, or a local build. */
  static Optional<Path> library() {
    return libraryUnder(Path.of("/usr/lib"), Path.of("/usr/local/lib"));
  }

  /** The library under {@code <system>/<triplet>/faketime} or {@code <local>/faketime}. */
  static Optional<Path> libraryUnder(Path system, Path local) {
    List<Path> candidates = new ArrayList<>();
    try (var dirs = Files.list(system)) {
      dirs.filter(dir -> dir.getFileName().toString().endsWith("-linux-gnu"))
          .sorted()
          .forEach(dir -> candidates.add(dir.resolve(LIBRARY)));
    } catch (IOException e) {
      // no such directory: only the local one can hold the library
    }
    candidates.add(local.resolve(LIBRARY));
    return candidates.stream().filter(Files::isRegularFile).findFirst();
  }

  /**
   * The library, or a failure saying how to install it.
   *
   * @throws MissingToolException when libfaketime is not installed
   */
  static Path requireLibrary(Optional<Path> library) {
    return library.orElseThrow(() -> new MissingToolException(INSTALL_HINT));
  }

  /** The environment that preloads the library with its offset read from {@code offsetFile}. */
  static Map<String, String> environment(Path library, Path offsetFile) {
    return Map.of(
        "LD_PRELOAD", library.toString(),
        "FAKETIME_TIMESTAMP_FILE", offsetFile.toString(),
        "FAKETIME_CACHE_DURATION", "1",
        "FAKETIME_DONT_FAKE_MONOTONIC", "1",
        "FAKETIME_FORCE_MONOTONIC_FIX", "0");
  }

  /** An offset in libfaketime's relative notation: signed seconds, e.g. {@code +30.000}. */
  static String notation(Duration offset) {
    long millis = offset.toMillis();
    long abs = Math.abs(millis);
    return String.format("%s%d.%03d", millis < 0 ? "-" : "+", abs / 1000, abs % 1000);
  }

  /** Sets the offset; replaced at once, so the library never reads a half-written file. */
  static void write(Path offsetFile, Duration offset) {
    Path next = offsetFile.resolveSibling(offsetFile.getFileName() + ".next");
    try {
      Files.writeString(next, notation(offset) + "\n");
      Files.move(next, offsetFile, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the clock offset to " + offsetFile, e);
    }
  }

  /** Removes what the library left in /dev/shm for a process that could not clean up. */
  static void removeLeftovers(long pid) {
    for (String name : List.of("faketime_shm_" + pid, "sem.faketime_sem_" + pid)) {
      try {
        Files.deleteIfExists(SHARED_MEMORY.resolve(name));
      } catch (IOException e) {
        throw new UncheckedIOException("could not remove /dev/shm/" + name, e);
      }
    }
  }
}
