package io.baton.agent.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent writes files into directories PostgreSQL's OS user owns, possibly as root: it must
 * never write through a link that user placed (issue 9, finding 6).
 */
class OsUserTest {
  @TempDir Path directory;

  @Test
  void aFileNamedByALinkIsReplacedNotWrittenThrough() throws Exception {
    Path victim = directory.resolve("victim");
    Files.writeString(victim, "untouched");
    Path conf = directory.resolve("postgresql.auto.conf");
    Files.createSymbolicLink(conf, victim);
    OsUser self = OsUser.of(Optional.empty());
    self.write(conf, "primary_conninfo = ''\n");
    assertEquals("untouched", Files.readString(victim));
    assertFalse(Files.isSymbolicLink(conf));
    assertEquals("primary_conninfo = ''\n", Files.readString(conf));
    try (var left = Files.list(directory)) {
      assertTrue(left.allMatch(p -> !p.getFileName().toString().contains(".baton-")),
          "no temporary file is left");
    }
    assertTrue(Files.isRegularFile(conf, LinkOption.NOFOLLOW_LINKS));
  }
}
