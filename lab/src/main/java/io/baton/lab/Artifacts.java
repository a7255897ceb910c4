package io.baton.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The packaged agent, coordinator and subscribers, as they are deployed: {@code
 * <module>/target/baton-<module>-*.jar} next to {@code <module>/target/lib}. Children run from
 * these rather than from the caller's classpath, so each process sees only its own beans and
 * configuration. They run from a copy made once per JVM: a build replacing the jars in {@code
 * target} meanwhile must not change the code under running processes.
 */
final class Artifacts {
  private static final java.util.Map<String, String> STAGED = new java.util.concurrent.ConcurrentHashMap<>();

  private Artifacts() {}

  /** The classpath of a packaged module, staged: its jar and its runtime dependencies. */
  static String classpath(String module) {
    return STAGED.computeIfAbsent(module, Artifacts::stage);
  }

  private static String stage(String module) {
    String packaged = packagedClasspath(module);
    String[] parts = packaged.split(java.io.File.pathSeparator);
    Path jar = Path.of(parts[0]);
    Path lib = Path.of(parts[1].substring(0, parts[1].length() - 2));
    try {
      Path staging = Files.createTempDirectory("baton-" + module + "-");
      Files.copy(jar, staging.resolve(jar.getFileName()));
      Path stagedLib = Files.createDirectory(staging.resolve("lib"));
      try (Stream<Path> jars = Files.list(lib)) {
        for (Path dependency : (Iterable<Path>) jars::iterator) {
          Files.copy(dependency, stagedLib.resolve(dependency.getFileName()));
        }
      }
      Runtime.getRuntime().addShutdownHook(new Thread(
          () -> io.baton.testkit.cleanup.Directories.deleteRecursively(staging), "unstage-" + module));
      return staging.resolve(jar.getFileName()) + java.io.File.pathSeparator + stagedLib + "/*";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage the packaged " + module, e);
    }
  }

  private static String packagedClasspath(String module) {
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
