package io.baton.client.apiaccess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A bearer token for the HTTP APIs: the first line of a file, at least {@value #MIN_LENGTH}
 * characters of printable ASCII without spaces (e.g. {@code openssl rand -hex 32}). Never
 * printed: {@link #toString()} hides it.
 */
public final class ApiToken {
  public static final int MIN_LENGTH = 32;

  private final String value;

  private ApiToken(String value) {
    this.value = value;
  }

  /**
   * @throws IllegalArgumentException naming {@code what}, never repeating the value, when it is
   *     too short or holds a character a header cannot carry
   */
  public static ApiToken of(String what, String value) {
    Objects.requireNonNull(value, what);
    String token = value.strip();
    if (token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(what + " holds " + token.length() + " characters; a"
          + " token needs at least " + MIN_LENGTH + " (generate one with openssl rand -hex 32)");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c > '~') {
        throw new IllegalArgumentException(what + " must be one word of printable ASCII"
            + " characters (generate one with openssl rand -hex 32)");
      }
    }
    return new ApiToken(token);
  }

  /** The token in {@code file}, whose first line is the token. */
  public static ApiToken fromFile(String what, Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int end = text.indexOf('\n');
      return of(what + " " + file, end < 0 ? text : text.substring(0, end));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** Compares in constant time, so the answer's timing says nothing about the token. */
  public boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(
        value.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.UTF_8));
  }

  /** The value of an {@code Authorization} header. */
  public String authorizationHeader() {
    return "Bearer " + value;
  }

  @Override
  public String toString() {
    return "ApiToken(hidden)";
  }
}
