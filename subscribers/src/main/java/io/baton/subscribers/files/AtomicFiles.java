package io.baton.subscribers.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Replaces files so that a reader (HAProxy starting, PgBouncer reloading, a subscriber
 * restarting) sees either the old or the new content, never half of one: the new content goes to
 * a temporary file in the same directory, is flushed to disk and checked, and is then renamed
 * over the old file; the directory is flushed so the rename survives a crash.
 */
public final class AtomicFiles {
  private static final Set<PosixFilePermission> DEFAULT_PERMISSIONS =
      PosixFilePermissions.fromString("rw-r--r--");

  /** Checks the new content in its temporary file before it replaces the old one. */
  @FunctionalInterface
  public interface Check {
    void accept(Path candidate) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Gives the new file the old one's owner and group, so e.g. PgBouncer running as its own user
   * can still read a file this process (as root) replaced. Only attempted when they differ: a
   * process not allowed to do so then fails loudly rather than leave an unreadable file.
   */
  private static void keepOwner(Path candidate, PosixFileAttributes old) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(candidate,
        PosixFileAttributeView.class);
    PosixFileAttributes now = view.readAttributes();
    if (!now.owner().equals(old.owner())) {
      view.setOwner(old.owner());
    }
    if (!now.group().equals(old.group())) {
      view.setGroup(old.group());
    }
  }

  /** Replaces {@code target} with {@code content}; false when it already held exactly that. */
  public static boolean replace(Path target, String content) throws IOException {
    return replace(target, content, candidate -> { });
  }

  /**
   * Replaces {@code target} with {@code content} once {@code check} accepts it; the old file
   * stays when the check throws. Keeps the old file's permissions, owner and group (0644 for a
   * new file).
   *
   * @return false when {@code target} already held exactly {@code content} (nothing is written)
   */
  public static boolean replace(Path target, String content, Check check) throws IOException {
    Path absolute = target.toAbsolutePath();
    if (Files.isRegularFile(absolute) && Files.readString(absolute).equals(content)) {
      return false;
    }
    Path directory = absolute.getParent();
    Files.createDirectories(directory);
    Optional<PosixFileAttributes> old = Files.exists(absolute)
        ? Optional.of(Files.readAttributes(absolute, PosixFileAttributes.class))
        : Optional.empty();
    Path candidate = directory.resolve("." + absolute.getFileName() + ".new-"
        + ProcessHandle.current().pid());
    try {
      try (FileChannel out = FileChannel.open(candidate, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      Files.setPosixFilePermissions(candidate,
          old.map(PosixFileAttributes::permissions).orElse(DEFAULT_PERMISSIONS));
      if (old.isPresent()) {
        keepOwner(candidate, old.get());
      }
      check.accept(candidate);
      Files.move(candidate, absolute, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
        dir.force(true);
      }
      return true;
    } finally {
      Files.deleteIfExists(candidate);
    }
  }
}
