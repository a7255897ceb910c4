package io.baton.agent.fencing;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A Linux watchdog device ({@code /dev/watchdog}): once opened, the machine is reset unless it is
 * written to within the device's timeout. Writing {@code V} before closing (the "magic close")
 * stops it, on drivers that allow it, so a clean exit does not reset the machine.
 */
final class WatchdogDevice {
  private final Path path;
  private final FileOutputStream out;

  private WatchdogDevice(Path path, FileOutputStream out) {
    this.path = path;
    this.out = out;
  }

  static WatchdogDevice open(Path path) throws IOException {
    return new WatchdogDevice(path, new FileOutputStream(path.toFile()));
  }

  void pet() {
    try {
      out.write('1');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the watchdog device " + path, e);
    }
  }

  void closeDisarmed() {
    try {
      out.write('V');
      out.close();
    } catch (IOException e) {
      System.err.println("watchdog: closing " + path + " failed: " + e);
    }
  }
}
