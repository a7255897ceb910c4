package io.baton.agent.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, finding 6: {@code deploy/postgres/roles.sql} grants exactly what the agent uses. This
 * test compares the file with the agent's SQL (every granted function is one the agent calls,
 * or one pg_rewind calls on its source; no ALTER SYSTEM unless the agent runs it; each
 * predefined role for a reason found in the code). That the grants suffice is shown by every
 * integration test: the test kit makes its clusters' agent role with this very file.
 */
class RolesGrantTest {
  /** What pg_rewind calls on its source server (PostgreSQL 15's libpq_source.c). */
  private static final Set<String> PG_REWIND_SOURCE =
      Set.of("pg_ls_dir", "pg_stat_file", "pg_read_binary_file");

  private static final Pattern GRANTED_FUNCTION =
      Pattern.compile("GRANT EXECUTE ON FUNCTION pg_catalog\\.(\\w+)\\(");
  private static final Pattern GRANTED_ROLES = Pattern.compile("(?m)^GRANT (pg_[\\w, ]+) TO");
  private static final Pattern CALLED_FUNCTION = Pattern.compile("\\b(pg_\\w+)\\(");

  @Test
  void rolesSqlGrantsExactlyWhatTheAgentUses() throws IOException {
    String roles = Files.readString(repositoryRoot().resolve("deploy/postgres/roles.sql"));
    String agentSql = agentSources();

    Set<String> granted = matches(GRANTED_FUNCTION, roles);
    Set<String> called = matches(CALLED_FUNCTION, agentSql);
    Set<String> unused = new TreeSet<>(granted);
    unused.removeAll(called);
    unused.removeAll(PG_REWIND_SOURCE);
    assertEquals(Set.of(), unused, "functions granted that neither the agent nor pg_rewind calls");
    assertTrue(granted.containsAll(Set.of("pg_promote", "pg_reload_conf")), granted.toString());
    assertTrue(granted.containsAll(PG_REWIND_SOURCE), granted.toString());

    boolean agentAltersSystem = agentSql.contains("ALTER SYSTEM");
    assertEquals(agentAltersSystem, roles.contains("GRANT ALTER SYSTEM"),
        "ALTER SYSTEM is granted only if the agent runs it (it writes its own file instead)");

    Set<String> needed = new TreeSet<>();
    if (agentSql.contains("\"CHECKPOINT\"")) {
      needed.add("pg_checkpoint");
    }
    if (agentSql.contains("pg_stat_replication") || agentSql.contains("pg_ls_waldir")) {
      needed.add("pg_monitor");
    }
    Set<String> grantedRoles = new TreeSet<>();
    Matcher m = GRANTED_ROLES.matcher(roles);
    while (m.find()) {
      for (String role : m.group(1).split(",")) {
        grantedRoles.add(role.strip());
      }
    }
    assertEquals(needed, grantedRoles, "predefined roles granted against those the code needs");
  }

  private static Set<String> matches(Pattern pattern, String text) {
    Set<String> found = new TreeSet<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  /** The agent's main sources: where every SQL statement it sends is written. */
  private static String agentSources() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(repositoryRoot().resolve("agent/src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        all.append(Files.readString(file)).append('\n');
      }
    }
    return all.toString();
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("deploy/postgres/roles.sql"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new AssertionError("no deploy/postgres/roles.sql above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
