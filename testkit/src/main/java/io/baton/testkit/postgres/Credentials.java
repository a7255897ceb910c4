package io.baton.testkit.postgres;

import java.nio.file.Path;

/**
 * A PostgreSQL role and its password, also stored in {@code passwordFile} (mode 0600, owned by
 * the PostgreSQL OS user) for processes that should read it rather than get it passed. {@link
 * #toString()} leaves the password out, so credentials can be logged.
 */
public record Credentials(String user, String password, Path passwordFile) {
  @Override
  public String toString() {
    return "Credentials[user=" + user + ", passwordFile=" + passwordFile + "]";
  }
}
