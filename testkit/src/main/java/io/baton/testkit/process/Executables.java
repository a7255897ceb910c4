package io.baton.testkit.process;

import com.sun.security.auth.module.UnixSystem;
import io.baton.testkit.MissingToolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the system tools the test kit runs, failing with how to install a missing one. */
public final class Executables {
  private Executables() {}

  /**
   * Looks in {@code PATH} and then in the sbin directories, which a non-login root shell (as
   * under Maven) often lacks on its {@code PATH}.
   */
  public static Path find(String name, String installHint) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    dirs.addAll(List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"));
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new MissingToolException("'" + name + "' not found on PATH or in the sbin directories: "
        + installHint);
  }

  /** The iproute2 {@code ip} tool. */
  public static Path ip() {
    return find("ip", "install iproute2 (`apt-get install iproute2`)");
  }

  /** {@code kill}, for signals other than the ones {@link ProcessHandle} can send. */
  public static Path kill() {
    return find("kill", "install procps (`apt-get install procps`)");
  }

  /** Whether this JVM runs as root (uid 0), which namespaces and user switching need. */
  public static boolean runningAsRoot() {
    return new UnixSystem().getUid() == 0;
  }
}
