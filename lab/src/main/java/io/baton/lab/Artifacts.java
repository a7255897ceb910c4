package io.baton.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The packaged agent and coordinator, as they are deployed: {@code <module>/target/baton-<module>-*.jar}
 * next to {@code <module>/target/lib}. Children run from these rather than from the caller's
 * classpath, so each process sees only its own beans and configuration.
 */
final class Artifacts {
  private Artifacts() {}

  /** The classpath of a packaged module: its jar and its runtime dependencies. */
  static String classpath(String module) {
    Path target = repository().resolve(module).resolve("target");
    Optional<Path> jar;
    try (Stream<Path> files = Files.list(target)) {
      jar =
          files
              .filter(p -> p.getFileName().toString().matches("baton-" + module + "-.*\\.jar"))
              .filter(p -> !p.getFileName().toString().matches(".*-(sources|tests|javadoc)\\.jar"))
              .findFirst();
    } catch (IOException e) {
      throw new IllegalStateException(
          "the " + module + " is not built (" + target + " is missing): run ./mvnw -DskipTests package first", e);
    }
    if (jar.isEmpty() || !Files.isDirectory(target.resolve("lib"))) {
      throw new IllegalStateException(
          "the " + module + " is not packaged in " + target + ": run ./mvnw -DskipTests package first");
    }
    return jar.get() + java.io.File.pathSeparator + target.resolve("lib") + "/*";
  }

  /** The repository checkout: {@code -Dbaton.repository}, else the nearest parent with the reactor pom. */
  static Path repository() {
    String configured = System.getProperty("baton.repository");
    if (configured != null) {
      return Path.of(configured);
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path pom = dir.resolve("pom.xml");
      try {
        if (Files.exists(pom) && Files.readString(pom).contains("<artifactId>baton-parent</artifactId>")
            && Files.isDirectory(dir.resolve("agent"))) {
          return dir;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "cannot find the Baton checkout from " + Path.of("").toAbsolutePath()
            + ": run from inside it or set -Dbaton.repository");
  }
}
