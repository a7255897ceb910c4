package io.baton.subscribers.pgbouncer;

import io.baton.events.Hosts;
import io.baton.events.MasterRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code [databases]} file PgBouncer includes. An entry whose cluster this subscriber has
 * not applied yet keeps the line the file already had, so applying one cluster never re-points,
 * or drops, another one behind its PAUSE.
 */
final class DatabasesFile {
  private static final Pattern ENTRY = Pattern.compile("^\\s*([A-Za-z0-9_]+)\\s*=.*$");

  private DatabasesFile() {}

  /** The entry lines of an existing file, by database name. */
  static Map<String, String> entries(String content) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (String line : content.lines().toList()) {
      Matcher entry = ENTRY.matcher(line);
      if (entry.matches()) {
        entries.put(entry.group(1), line.strip());
      }
    }
    return entries;
  }

  static String render(List<PgBouncerDatabaseConfig> databases, Map<String, MasterRecord> applied,
      Map<String, String> existing) {
    StringBuilder text = new StringBuilder()
        .append("; Written by Baton's PgBouncer subscriber on every change of a primary; edits\n")
        .append("; are overwritten. Pull it into pgbouncer.ini with %include.\n")
        .append("[databases]\n");
    for (PgBouncerDatabaseConfig database : databases) {
      MasterRecord master = applied.get(database.cluster());
      if (master != null) {
        text.append("; cluster ").append(master.cluster()).append(": epoch ")
            .append(master.epoch()).append(", node ").append(master.node()).append('\n')
            .append(line(database, master.host(), master.port())).append('\n');
      } else if (existing.containsKey(database.name())) {
        text.append(existing.get(database.name())).append('\n');
      }
    }
    return text.toString();
  }

  /**
   * One entry. The host is checked here again, whatever the codec already did: a space would
   * add connection settings to the entry, a line break entries of its own.
   */
  static String line(PgBouncerDatabaseConfig database, String host, int port) {
    Hosts.withPort(host, port);
    return database.name() + " = host=" + host + " port=" + port
        + " dbname=" + database.serverDatabase()
        + database.options().filter(o -> !o.isBlank()).map(o -> " " + o.strip()).orElse("");
  }
}
