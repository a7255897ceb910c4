package io.baton.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The agent's decisions are pure; PostgreSQL is reached only through PostgresControl. */
class ArchitectureRulesTest {
  private static final JavaClasses PRODUCTION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.baton.agent");

  @Test
  void theConvergenceTableDoesNoIo() {
    noClasses().that().resideInAPackage("io.baton.agent.convergence..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.apache.kafka..", "io.micronaut..", "java.sql..", "java.net..", "java.nio.file..",
            "io.baton.agent.postgres..", "io.baton.agent.supervisor..")
        .because("the supervisor gathers a Situation; the table only decides")
        .check(PRODUCTION);
  }

  @Test
  void onlyThePostgresPackageSpeaksJdbc() {
    noClasses().that().resideOutsideOfPackage("io.baton.agent.postgres..")
        .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.postgresql..")
        .because("PostgreSQL sits behind the one small PostgresControl interface")
        .check(PRODUCTION);
  }
}
