package io.baton.cli.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void padsEveryColumnButTheLast() {
    String table = new Table(List.of("Node", "Detail"))
        .row(List.of("n1", "primary"))
        .row(List.of("n10", ""))
        .render();

    assertEquals("Node | Detail\n-----+--------\nn1   | primary\nn10  |\n", table);
  }

  @Test
  void aRowMustFillEveryColumn() {
    assertThrows(IllegalArgumentException.class, () -> new Table(List.of("a", "b")).row(List.of("x")));
  }
}
