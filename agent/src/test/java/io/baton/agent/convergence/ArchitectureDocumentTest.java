package io.baton.agent.convergence;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/architecture.md shows the convergence table the code has, not an older one. */
class ArchitectureDocumentTest {

  @Test
  void theArchitectureDocumentShowsTheCurrentConvergenceTable() throws Exception {
    String document = Files.readString(Path.of("../docs/architecture.md"));
    assertTrue(
        document.contains(ConvergenceTable.describe()),
        "paste ConvergenceTable.describe() into docs/architecture.md:\n" + ConvergenceTable.describe());
  }
}
