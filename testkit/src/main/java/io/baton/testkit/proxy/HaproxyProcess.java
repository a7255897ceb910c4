package io.baton.testkit.proxy;

import io.baton.testkit.process.ChildProcess;
import io.baton.testkit.process.Executables;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real HAProxy (Debian's 2.6) for tests, run as a child process in the foreground: a main
 * configuration with the admin socket in {@code directory} and TCP defaults, plus the extra
 * configuration files given (the subscriber's file). Listens only where those files bind, which
 * tests keep on 127.0.0.1. The child is registered with testkit's process registry, so it dies
 * with the test JVM at the latest.
 */
public final class HaproxyProcess implements AutoCloseable {
  public static final String INSTALL_HINT =
      "install HAProxy: `apt-get install haproxy` (HAProxy 2.6 on Debian bookworm)";

  private final Path binary;
  private final Path mainConfig;
  private final Path adminSocket;
  private ChildProcess process;

  private HaproxyProcess(Path binary, Path mainConfig, Path adminSocket) {
    this.binary = binary;
    this.mainConfig = mainConfig;
    this.adminSocket = adminSocket;
  }

  /** Writes the main configuration in {@code directory}; nothing runs yet. */
  public static HaproxyProcess in(Path directory) throws IOException {
    Path binary = Executables.find("haproxy", INSTALL_HINT);
    Path socket = directory.resolve("admin.sock");
    Path main = directory.resolve("haproxy.cfg");
    Files.writeString(main, String.join("\n",
        "global",
        "    stats socket " + socket + " mode 600 level admin",
        "    log stderr format raw local0 notice",
        "defaults",
        "    mode tcp",
        "    log global",
        "    timeout connect 2s",
        "    timeout client 1m",
        "    timeout server 1m",
        ""));
    return new HaproxyProcess(binary, main, socket);
  }

  public Path binary() {
    return binary;
  }

  public Path mainConfig() {
    return mainConfig;
  }

  public Path adminSocket() {
    return adminSocket;
  }

  /** Starts HAProxy with the main configuration and {@code extraConfigs}; waits for its socket. */
  public void start(Path... extraConfigs) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "-f", mainConfig.toString()));
    for (Path extra : extraConfigs) {
      command.addAll(List.of("-f", extra.toString()));
    }
    Files.deleteIfExists(adminSocket);
    process = ChildProcess.builder("haproxy", command).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!answers()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("HAProxy did not open " + adminSocket + "; output:\n"
            + String.join("\n", process.lines()));
      }
      Thread.sleep(10);
    }
  }

  private boolean answers() {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(adminSocket));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Kills HAProxy, as a crash would. */
  public void stop() {
    if (process != null) {
      process.killTree();
      process = null;
    }
  }

  public List<String> output() {
    return process == null ? List.of() : process.lines();
  }

  @Override
  public void close() {
    stop();
  }
}
