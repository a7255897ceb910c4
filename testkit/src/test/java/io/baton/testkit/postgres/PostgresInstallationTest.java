package io.baton.testkit.postgres;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baton.testkit.MissingToolException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresInstallationTest {

  @Test
  void aMissingInstallationFailsWithHowToInstallIt(@TempDir Path empty) {
    MissingToolException e =
        assertThrows(MissingToolException.class, () -> PostgresInstallation.at(empty));

    assertTrue(e.getMessage().startsWith("PostgreSQL 15 not found in " + empty), e.getMessage());
    assertTrue(e.getMessage().contains("apt-get install postgresql-15"), e.getMessage());
    assertTrue(e.getMessage().contains("BATON_PG_BIN"), e.getMessage());
  }
}
