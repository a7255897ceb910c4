package io.baton.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SynchronousStandbyNamesTest {

  @Test
  void rendersAPriorityListWithQuotedNames() {
    assertEquals("FIRST 1 (\"n2\", \"n3\")", SynchronousStandbyNames.render(List.of("n2", "n3"), 1));
  }

  @Test
  void rendersNothingForAsynchronousReplication() {
    assertEquals("", SynchronousStandbyNames.render(Goal.Primary.asynchronous()));
    assertEquals(
        "", SynchronousStandbyNames.render(new Goal.Primary(List.of("n2"), 0, Optional.empty())));
  }
}
