package io.baton.coordinator.decision;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/architecture.md shows the transition table the code has, not an older one. */
class ArchitectureDocumentTest {

  @Test
  void theArchitectureDocumentShowsTheCurrentTransitionTable() throws Exception {
    String document = Files.readString(Path.of("../docs/architecture.md"));
    assertTrue(
        document.contains(TransitionTable.describe()),
        "paste TransitionTable.describe() into docs/architecture.md:\n" + TransitionTable.describe());
  }
}
