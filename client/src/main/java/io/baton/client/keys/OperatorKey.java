package io.baton.client.keys;

import io.baton.events.Names;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Objects;

/**
 * An operator's signing key and the name the coordinator knows it under (its operator keys
 * file lists the public half). {@link #toString()} leaves the key out.
 */
public record OperatorKey(String operator, PrivateKey key) {
  public OperatorKey {
    Names.require("operator", operator);
    Objects.requireNonNull(key, "key");
  }

  public static OperatorKey load(String operator, Path file) {
    return new OperatorKey(operator, KeyFiles.readPrivateKey(file));
  }

  @Override
  public String toString() {
    return "OperatorKey[operator=" + operator + "]";
  }
}
