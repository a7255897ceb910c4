package io.baton.events;

import java.util.List;
import java.util.regex.Pattern;

/** The names of Baton's topics under one prefix (default {@code baton.}). */
public record TopicNames(String prefix) {
  public static final String DEFAULT_PREFIX = "baton.";
  private static final Pattern VALID_PREFIX = Pattern.compile("[A-Za-z0-9._-]{0,200}");

  public TopicNames {
    Fields.required("prefix", prefix);
    if (!VALID_PREFIX.matcher(prefix).matches()) {
      throw new InvalidFieldException(
          "prefix", Printable.quote(prefix) + " may only hold letters, digits, '.', '_' and '-'");
    }
  }

  public static TopicNames defaults() {
    return new TopicNames(DEFAULT_PREFIX);
  }

  /** Agents' observations, keyed by cluster; LogAppendTime, short retention. */
  public String heartbeats() {
    return prefix + "heartbeats";
  }

  /** Operator requests, keyed by cluster; co-partitioned with the heartbeats. */
  public String requests() {
    return prefix + "requests";
  }

  /**
   * Each node's enrolled identity (public key, host, port), keyed cluster/node; compacted,
   * written by operators only.
   */
  public String enrollments() {
    return prefix + "enrollments";
  }

  /** Each node's goal state, keyed cluster/node; compacted. */
  public String assignments() {
    return prefix + "assignments";
  }

  /** The current primary of each cluster, keyed by cluster; compacted. */
  public String master() {
    return prefix + "master";
  }

  /** Every decision, in words, keyed by cluster; long retention. */
  public String events() {
    return prefix + "events";
  }

  /** Records the coordinator could not read, copied as they were, with the reason in headers. */
  public String deadLetters() {
    return prefix + "dead-letters";
  }

  public List<String> all() {
    return List.of(
        heartbeats(), requests(), enrollments(), assignments(), master(), events(), deadLetters());
  }
}
