package io.baton.agent.postgres;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the agent's connections to PostgreSQL use TLS: its own queries, the checkpoint and
 * pg_rewind against another node, and its standby's streaming ({@code primary_conninfo}). With
 * {@link #VERIFY_FULL}, the default, the password goes only to a server whose certificate a
 * trusted authority issued for the host the agent asked for: TLS and the check come before
 * authentication, in pgjdbc and libpq alike.
 */
public enum SslMode {
  /** No TLS: the password (SCRAM) and the data travel in the clear. */
  DISABLE("disable"),
  /** TLS without checking whom the agent talks to. */
  REQUIRE("require"),
  /** TLS with a certificate from the trusted authority, for any host name. */
  VERIFY_CA("verify-ca"),
  /** TLS with a certificate from the trusted authority for the very host connected to. */
  VERIFY_FULL("verify-full");

  private final String wire;

  SslMode(String wire) {
    this.wire = wire;
  }

  /** As libpq and pgjdbc spell it. */
  public String wire() {
    return wire;
  }

  /** Whether the server's certificate is checked against a root certificate. */
  public boolean verifies() {
    return this == VERIFY_CA || this == VERIFY_FULL;
  }

  /** @throws IllegalArgumentException naming the accepted values */
  public static SslMode of(String text) {
    String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(m -> m.wire.equals(wanted)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an SSL mode: use "
            + Arrays.stream(values()).map(SslMode::wire).collect(Collectors.joining(", "))));
  }
}
