package io.baton.benchmark;

import java.util.List;
import java.util.Optional;

/**
 * The incumbents' figures measured on this kind of machine with the same method, copied from
 * {@code docs/benchmark-method.md} (median of 3 runs, min-max where given), to print beside Baton's.
 */
public final class Incumbents {
  private Incumbents() {}

  /**
   * One measured system. Figures are text as published (some carry a range or a remark);
   * milliseconds are the medians, for machines.
   */
  public record Figures(String system, String switchoverOutage, Optional<Double> switchoverOutageMs,
      String switchoverCommand, Optional<Double> switchoverCommandMs, String nodeLossOutage,
      Optional<Double> nodeLossOutageMs) {}

  public static final String SOURCE =
      "docs/benchmark-method.md: PostgreSQL 15.20, 3 nodes on loopback, 2 cores; median of 3 (min-max)";

  public static List<Figures> all() {
    return List.of(
        new Figures("Patroni 3.0.2 + etcd, defaults (ttl 30, loop_wait 10)",
            "1.35 s", Optional.of(1350.0), "2.85 s", Optional.of(2850.0),
            "21.8 s (21.2-29.5)", Optional.of(21_800.0)),
        new Figures("Patroni, fastest documented settings (ttl 20, loop_wait 1, retry_timeout 3)",
            "1.35 s", Optional.of(1350.0), "2.63 s", Optional.of(2630.0),
            "19.7 s", Optional.of(19_700.0)),
        new Figures("Patroni, synchronous_mode",
            "1.36 s", Optional.of(1360.0), "2.81 s", Optional.of(2810.0),
            "27.5 s", Optional.of(27_500.0)),
        new Figures("Patroni behind HAProxy (/primary check, inter 3s fall 3 rise 2)",
            "6.52 s through HAProxy", Optional.of(6520.0), "2.68 s", Optional.of(2680.0),
            "-", Optional.empty()),
        new Figures("pg_auto_failover 2.0, defaults (synchronous, ANY 1)",
            "2.19 s (1.25-3.15)", Optional.of(2190.0), "2.94 s", Optional.of(2940.0),
            "52.4 s", Optional.of(52_400.0)));
  }
}
