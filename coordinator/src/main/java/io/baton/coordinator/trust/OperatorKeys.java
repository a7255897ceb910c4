package io.baton.coordinator.trust;

import io.baton.events.Names;
import io.baton.events.Printable;
import io.baton.events.signing.Ed25519;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operators whose signatures the coordinator believes, from its operator keys file: one
 * operator per line, {@code NAME PUBLIC-KEY [CLUSTER,CLUSTER...]}, the key in Base64 (the body
 * of {@code openssl pkey -pubout}), the clusters limiting where the operator may act (all when
 * absent). {@code #} starts a comment.
 */
public record OperatorKeys(Map<String, Operator> operators) {
  public OperatorKeys {
    operators = Map.copyOf(operators);
  }

  /**
   * @param clusters where the operator may act; empty: everywhere
   */
  public record Operator(String name, PublicKey key, Optional<Set<String>> clusters) {
    public Operator {
      Names.require("operator", name);
      clusters = clusters.map(Set::copyOf);
    }

    public boolean allows(String cluster) {
      return clusters.map(c -> c.contains(cluster)).orElse(true);
    }

    public String describe() {
      return name + clusters.map(c -> " (clusters " + new TreeSet<>(c) + ")").orElse(" (every cluster)");
    }
  }

  public static OperatorKeys none() {
    return new OperatorKeys(Map.of());
  }

  public Optional<Operator> operator(String name) {
    return Optional.ofNullable(operators.get(name));
  }

  /** With one more operator; a name may appear once. */
  public OperatorKeys with(Operator operator) {
    if (operators.containsKey(operator.name())) {
      throw new IllegalArgumentException("operator " + operator.name() + " is listed twice");
    }
    Map<String, Operator> more = new LinkedHashMap<>(operators);
    more.put(operator.name(), operator);
    return new OperatorKeys(more);
  }

  /** Parses the file's text; a bad line is an error naming its number. */
  public static OperatorKeys parse(String text) {
    OperatorKeys keys = none();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].replaceFirst("#.*", "").strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        keys = keys.with(operatorOf(line.split("\\s+")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return keys;
  }

  private static Operator operatorOf(String[] fields) {
    if (fields.length < 2 || fields.length > 3) {
      throw new IllegalArgumentException("expected NAME PUBLIC-KEY [CLUSTER,...], got "
          + fields.length + " fields");
    }
    PublicKey key = Ed25519.parsePublicKey(fields[1]).orElseThrow(() ->
        new IllegalArgumentException(Printable.quote(fields[1]) + " is not an Ed25519 public key"
            + " (Base64, starting " + Ed25519.PUBLIC_KEY_PREFIX + ")"));
    Optional<Set<String>> clusters = Optional.empty();
    if (fields.length == 3) {
      Set<String> names = new TreeSet<>(Arrays.asList(fields[2].split(",")));
      names.forEach(name -> Names.require("cluster", name));
      clusters = Optional.of(names);
    }
    return new Operator(fields[0], key, clusters);
  }
}
