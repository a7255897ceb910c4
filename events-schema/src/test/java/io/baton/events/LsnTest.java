package io.baton.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LsnTest {

  @Test
  void readsAndWritesPostgresNotation() {
    Lsn lsn = Lsn.parse("16/B374D848");
    assertEquals((0x16L << 32) | 0xB374D848L, lsn.value());
    assertEquals("16/B374D848", lsn.toString());
    assertEquals("0/0", Lsn.ZERO.toString());
  }

  @Test
  void ordersPositionsAndMeasuresDistance() {
    Lsn earlier = Lsn.parse("0/FFFFFFFF");
    Lsn later = Lsn.parse("1/0");
    assertTrue(earlier.isBefore(later));
    assertEquals(1, later.bytesAfter(earlier));
    assertEquals(later, Lsn.max(earlier, later));
  }

  @Test
  void refusesWhatIsNotAnLsn() {
    for (String bad : new String[] {"", "0", "/1", "1/", "x/1", "123456789/0", "0/123456789"}) {
      assertThrows(IllegalArgumentException.class, () -> Lsn.parse(bad), bad);
    }
  }
}
