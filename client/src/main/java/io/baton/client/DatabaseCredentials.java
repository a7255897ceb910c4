package io.baton.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A PostgreSQL user and password for {@link MasterDataSource}. {@link #toString()} leaves the
 * password out. The factories read the password from a file or the environment each time they
 * are asked, so a rotated password is picked up by the next connection.
 */
public record DatabaseCredentials(String user, String password) {
  public DatabaseCredentials {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  /** The password is the first line of {@code passwordFile} (e.g. a Kubernetes secret mount). */
  public static Supplier<DatabaseCredentials> fromFile(String user, Path passwordFile) {
    return () -> {
      try {
        String content = Files.readString(passwordFile, StandardCharsets.UTF_8);
        int newline = content.indexOf('\n');
        return new DatabaseCredentials(user,
            (newline < 0 ? content : content.substring(0, newline)).strip());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the password of " + user + " from "
            + passwordFile, e);
      }
    };
  }

  /** The password is the value of environment variable {@code variable}. */
  public static Supplier<DatabaseCredentials> fromEnvironment(String user, String variable) {
    return () -> new DatabaseCredentials(user, Optional.ofNullable(System.getenv(variable))
        .orElseThrow(() -> new IllegalStateException("environment variable " + variable
            + " with the password of " + user + " is not set")));
  }

  @Override
  public String toString() {
    return "DatabaseCredentials[user=" + user + "]";
  }
}
