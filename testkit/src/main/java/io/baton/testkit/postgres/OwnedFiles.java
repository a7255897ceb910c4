package io.baton.testkit.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;

/** Files and directories created for PostgreSQL, owned by the OS user it runs as. */
final class OwnedFiles {
  private final PostgresInstallation installation;

  OwnedFiles(PostgresInstallation installation) {
    this.installation = installation;
  }

  /** A directory with mode 0700 (PostgreSQL refuses group- or world-readable data). */
  Path directory(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      handOver(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + dir, e);
    }
  }

  /** A file readable only by its owner, for passwords. */
  Path secretFile(Path file, String content) {
    return write(file, content, "rw-------");
  }

  Path file(Path file, String content) {
    return write(file, content, "rw-r-----");
  }

  /** An existing file or directory, handed to the OS user, readable by everyone. */
  Path readable(Path path) {
    return chmod(path, Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--");
  }

  /** An existing file, handed to the OS user, readable by it alone (a private key). */
  Path owned(Path file) {
    return chmod(file, "rw-------");
  }

  private Path chmod(Path path, String permissions) {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
      handOver(path);
      return path;
    } catch (IOException e) {
      throw new UncheckedIOException("could not hand over " + path, e);
    }
  }

  Path append(Path file, String content) {
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  private Path write(Path file, String content, String permissions) {
    try {
      // Restrict before writing, so a secret is never readable by others, even for a moment.
      Files.deleteIfExists(file);
      Files.createFile(file,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
      Files.writeString(file, content, StandardCharsets.UTF_8);
      handOver(file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  private void handOver(Path path) throws IOException {
    if (!installation.switchesUser()) {
      return;
    }
    UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
    PosixFileAttributeView view =
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    view.setOwner(lookup.lookupPrincipalByName(installation.osUser()));
    view.setGroup(lookup.lookupPrincipalByGroupName(installation.osUser()));
  }
}
