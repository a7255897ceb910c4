package io.baton.events;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code synchronous_standby_names} value for a list of standbys. The agent writes it and the
 * coordinator compares it with what the primary reports, so both must render it the same way.
 */
public final class SynchronousStandbyNames {
  private SynchronousStandbyNames() {}

  /** {@code FIRST 1 ("n2", "n3")}, or the empty string for asynchronous replication. */
  public static String render(List<String> standbys, int count) {
    if (standbys.isEmpty() || count == 0) {
      return "";
    }
    return "FIRST " + count + " ("
        + standbys.stream().map(name -> "\"" + name + "\"").collect(Collectors.joining(", "))
        + ")";
  }

  public static String render(Goal.Primary goal) {
    return render(goal.synchronousStandbys(), goal.synchronousCount());
  }
}
