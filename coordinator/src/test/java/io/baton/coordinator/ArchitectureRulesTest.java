package io.baton.coordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's decisions stay pure: a replay must decide exactly as the first run did, and
 * the tests drive them by the hundred without I/O.
 */
class ArchitectureRulesTest {
  private static final JavaClasses PRODUCTION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.baton.coordinator");

  private static final String[] PURE = {
    "io.baton.coordinator.decision..", "io.baton.coordinator.cluster..",
    "io.baton.coordinator.candidate..", "io.baton.coordinator.replication..",
    "io.baton.coordinator.policy..", "io.baton.coordinator.trust.."
  };

  @Test
  void decisionsDoNotTouchKafkaMicronautOrTheNetwork() {
    noClasses().that().resideInAnyPackage(PURE)
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.apache.kafka..", "io.micronaut..", "java.net..", "java.sql..", "java.nio.file..")
        .because("decisions take their inputs and the broker time as arguments; I/O lives in topology and api")
        .check(PRODUCTION);
  }

  @Test
  void decisionsDoNotReadTheClock() {
    noClasses().that().resideInAnyPackage(PURE)
        .should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .because("only broker time decides: a coordinator that lags or replays must see the same gaps")
        .check(PRODUCTION);
  }
}
