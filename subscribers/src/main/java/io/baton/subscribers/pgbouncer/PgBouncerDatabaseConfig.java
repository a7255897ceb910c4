package io.baton.subscribers.pgbouncer;

import io.baton.events.Printable;
import io.baton.runtime.Checks;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.context.exceptions.ConfigurationException;
import java.util.Optional;

/**
 * One PgBouncer database entry kept on a cluster's primary ({@code
 * baton.pgbouncer.databases.<name>.*}).
 *
 * @param name the database name clients give PgBouncer (the key under {@code databases})
 * @param cluster the Baton cluster whose primary serves it
 * @param dbname the database on the primary, default the same as {@code name}
 * @param options more connection settings for the entry, e.g. {@code pool_size=20
 *     auth_user=pgbouncer}, default none
 */
@EachProperty("baton.pgbouncer.databases")
public record PgBouncerDatabaseConfig(
    @Parameter String name,
    String cluster,
    Optional<String> dbname,
    Optional<String> options) {

  private static final String NAME = "[A-Za-z0-9_]+";

  public PgBouncerDatabaseConfig {
    String key = "baton.pgbouncer.databases." + name;
    Checks.matches(key, name, NAME, "use letters, digits and _");
    Checks.name(key + ".cluster", cluster);
    dbname.ifPresent(d -> Checks.matches(key + ".dbname", d, NAME, "use letters, digits and _"));
    options.filter(o -> !Printable.isPrintable(o)).ifPresent(o -> {
      throw new ConfigurationException(key + ".options " + Printable.quote(o)
          + " holds a line break or another control character: write them on one line");
    });
  }

  public String serverDatabase() {
    return dbname.orElse(name);
  }
}
