package io.baton.benchmark;

import com.sun.management.OperatingSystemMXBean;
import io.baton.testkit.postgres.PostgresInstallation;
import io.baton.testkit.process.Command;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.utils.AppInfoParser;

/** The machine and software the figures were measured on, for the JSON and the report's head. */
public record MachineFacts(int cores, long memoryMb, String os, String java, String postgres,
    String kafka, String haproxy, String pgbouncer, String batonCommit, Instant date) {

  /** Asks the machine; a tool that cannot say is reported as {@code unknown}. */
  public static MachineFacts collect(Path repository) {
    OperatingSystemMXBean system =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new MachineFacts(
        Runtime.getRuntime().availableProcessors(),
        system.getTotalMemorySize() / (1024 * 1024),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"),
        System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
        firstLine(List.of(PostgresInstallation.detect().tool("postgres"), "--version")),
        AppInfoParser.getVersion() + " (embedded KRaft broker, single node)",
        firstLine(List.of("haproxy", "-v")),
        firstLine(List.of("pgbouncer", "--version")),
        firstLine(List.of("git", "-C", repository.toString(), "rev-parse", "--short", "HEAD")),
        Instant.now());
  }

  private static String firstLine(List<String> command) {
    try {
      Command.Result result = Command.of(command).timeout(Duration.ofSeconds(10)).run();
      return result.succeeded()
          ? result.output().strip().lines().findFirst().orElse("unknown") : "unknown";
    } catch (RuntimeException e) {
      return "unknown";
    }
  }
}
