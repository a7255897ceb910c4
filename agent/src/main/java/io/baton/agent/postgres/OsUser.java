package io.baton.agent.postgres;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The OS user PostgreSQL runs as. When the agent runs as root (PostgreSQL refuses to), every
 * PostgreSQL tool runs through {@code setpriv} as that user, and the files the agent writes for
 * PostgreSQL are handed over to it; otherwise PostgreSQL runs as the agent's own user.
 */
final class OsUser {
  private static final String SETPRIV = Stream.of("/usr/bin/setpriv", "/bin/setpriv")
      .filter(p -> Files.isExecutable(Path.of(p)))
      .findFirst()
      .orElse("setpriv");

  private final Optional<Owner> owner;

  private record Owner(String user, String group, UserPrincipal userPrincipal,
      GroupPrincipal groupPrincipal) {}

  private OsUser(Optional<Owner> owner) {
    this.owner = owner;
  }

  /**
   * @throws IllegalArgumentException when {@code osUser} does not exist, or differs from the
   *     agent's user while the agent is not root
   */
  static OsUser of(Optional<String> osUser) {
    String self = System.getProperty("user.name");
    if (osUser.isEmpty() || osUser.get().equals(self)) {
      return new OsUser(Optional.empty());
    }
    String user = osUser.get();
    if (OsProcesses.currentUid() != 0) {
      throw new IllegalArgumentException("the agent runs as " + self + ", not root, so it can"
          + " only run PostgreSQL as " + self + ", not as " + user);
    }
    String group = primaryGroup(user);
    try {
      UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
      return new OsUser(Optional.of(new Owner(user, group, lookup.lookupPrincipalByName(user),
          lookup.lookupPrincipalByGroupName(group))));
    } catch (IOException e) {
      throw new IllegalArgumentException("no OS user " + user + " (or group " + group + ")", e);
    }
  }

  /** {@code command} made to run as this user. */
  List<String> command(List<String> command) {
    List<String> full = new ArrayList<>();
    owner.ifPresent(o -> full.addAll(List.of(SETPRIV, "--reuid=" + o.user(),
        "--regid=" + o.group(), "--init-groups", "--")));
    full.addAll(command);
    return full;
  }

  /** Creates a directory (and its parents) only this user may enter. */
  void directory(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    handOver(dir);
  }

  /**
   * Replaces a file atomically with one readable only by this user, so neither PostgreSQL nor a
   * crash ever sees it half-written, and a secret in it is never readable by anyone else.
   *
   * <p>Safe when the agent runs as root and writes into a directory this user owns, where this
   * user (a PostgreSQL superuser can run programs as it) may swap any name for a link at any
   * moment: the temporary file gets an unpredictable name and is created and written through one
   * descriptor opened with {@code O_CREAT|O_EXCL|O_NOFOLLOW}, so root never writes through a link;
   * ownership is changed without following links, and a hard link to a file this user does not
   * own cannot be made while {@code fs.protected_hardlinks} is on ({@link #requireSafeRootMode});
   * the rename replaces the name itself. At worst this user makes the agent install a file this
   * user wrote, which it could write itself.
   */
  void write(Path file, String content) throws IOException {
    Path temp = file.resolveSibling(
        "." + file.getFileName() + ".baton-" + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, Set.<OpenOption>of(
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        channel.write(StandardCharsets.UTF_8.encode(content));
        channel.force(true);
      }
      handOver(temp);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Refuses to run as root for another user unless the kernel stops that user from hard-linking
   * files it does not own into its directories: otherwise changing the owner of a name in them
   * could hand a system file to it.
   */
  void requireSafeRootMode() {
    if (owner.isEmpty()) {
      return;
    }
    try {
      String value = Files.readString(Path.of("/proc/sys/fs/protected_hardlinks")).strip();
      if (!value.equals("1")) {
        throw new IllegalStateException(
            "running as root for OS user " + owner.get().user() + " needs fs.protected_hardlinks=1"
                + " (it is " + value + "): sysctl -w fs.protected_hardlinks=1, or run the agent as "
                + owner.get().user());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read fs.protected_hardlinks; run the agent as " + owner.get().user(), e);
    }
  }

  /** Creates an empty file readable only by this user, unless it exists. */
  void touch(Path file) throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      handOver(file);
    }
  }

  private void handOver(Path path) throws IOException {
    if (owner.isPresent()) {
      PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
          LinkOption.NOFOLLOW_LINKS);
      view.setOwner(owner.get().userPrincipal());
      view.setGroup(owner.get().groupPrincipal());
    }
  }

  private static String primaryGroup(String user) {
    try {
      Process id = new ProcessBuilder("id", "-gn", user).redirectErrorStream(true).start();
      String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!id.waitFor(10, TimeUnit.SECONDS) || id.exitValue() != 0 || out.isEmpty()) {
        throw new IllegalArgumentException("no OS user " + user + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalArgumentException("could not look up OS user " + user, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException("interrupted looking up OS user " + user, e);
    }
  }
}
