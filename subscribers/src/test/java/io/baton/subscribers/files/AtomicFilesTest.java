package io.baton.subscribers.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @Test
  void replacesKeepsPermissionsAndSkipsIdenticalContent(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("a.cfg");
    assertTrue(AtomicFiles.replace(file, "one\n"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    assertTrue(AtomicFiles.replace(file, "two\n"));
    assertEquals("two\n", Files.readString(file));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertFalse(AtomicFiles.replace(file, "two\n"));
    try (var listing = Files.list(dir)) {
      assertEquals(1, listing.count(), "no temporary file left behind");
    }
  }

  @Test
  void aRejectedCandidateLeavesTheOldFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("a.cfg");
    AtomicFiles.replace(file, "good\n");
    IOException error = assertThrows(IOException.class, () -> AtomicFiles.replace(file, "bad\n",
        candidate -> {
          assertEquals("bad\n", Files.readString(candidate));
          throw new IOException("rejected");
        }));
    assertEquals("rejected", error.getMessage());
    assertEquals("good\n", Files.readString(file));
    try (var listing = Files.list(dir)) {
      assertEquals(1, listing.count(), "no temporary file left behind");
    }
  }
}
