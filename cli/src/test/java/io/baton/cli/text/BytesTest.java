package io.baton.cli.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BytesTest {
  @Test
  void formatsWalAmountsInBinaryUnits() {
    assertEquals("0 B", Bytes.format(0));
    assertEquals("12.5 KiB", Bytes.format(12_800));
    assertEquals("3.0 MiB", Bytes.format(3 * 1024 * 1024));
    assertEquals("1.5 GiB", Bytes.format(3L * 512 * 1024 * 1024));
  }
}
