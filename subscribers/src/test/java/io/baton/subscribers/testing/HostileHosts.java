package io.baton.subscribers.testing;

import java.util.List;

/** What a hostile record could put where a renderer writes a host. */
public final class HostileHosts {
  /** A line break, then a section HAProxy's master process would run (in master-worker mode). */
  public static final String PROGRAM_SECTION =
      "10.0.0.9\nglobal\n    master-worker\nprogram pwn\n    command /bin/touch /tmp/pwned";

  public static final List<String> ALL = List.of(
      PROGRAM_SECTION, "10.0.0.9\rprogram pwn", "10.0.0.9\u0000", "db?x=1", "db&x=1", "db/app",
      "db/app?sslmode=disable&x=", "a,b", "db 2", " db", "db\t", "db;show", "db#x", "db'x",
      "db\"x", "db=x", "program pwn", "[::1]", "::1%eth0", "a".repeat(64) + ".example.com",
      "x." + "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63),
      "");

  private HostileHosts() {}
}
