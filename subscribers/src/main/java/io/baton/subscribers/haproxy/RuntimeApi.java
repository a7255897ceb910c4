package io.baton.subscribers.haproxy;

import io.baton.events.Hosts;
import io.baton.events.Printable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * HAProxy's Runtime API on its admin socket ({@code stats socket ... level admin}): one
 * connection per command, in non-interactive mode, so HAProxy closes the connection after its
 * answer. Every read is bounded by a timeout, because a frozen HAProxy still accepts connections
 * on a unix socket.
 */
final class RuntimeApi {
  /** Admin-state bits of {@code show servers state}: only "configured disabled" lets traffic through. */
  private static final int CONFIG_MAINTENANCE = 0x04;

  private final Path socket;
  private final Duration timeout;

  RuntimeApi(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  Path socket() {
    return socket;
  }

  /** A server as HAProxy runs it now. */
  record ServerState(String address, int port, int adminState, int operationalState) {
    /** Not in maintenance or drain (by the CLI, the config, DNS or a tracked server). */
    boolean takesTraffic() {
      return (adminState & ~CONFIG_MAINTENANCE) == 0;
    }
  }

  /** HAProxy answered that the backend or server does not exist in its running configuration. */
  static final class MissingServerException extends IOException {
    private static final long serialVersionUID = 1L;

    MissingServerException(String message) {
      super(message);
    }
  }

  /** HAProxy refused a command; the message holds its answer. */
  static final class RefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    RefusedException(String message) {
      super(message);
    }
  }

  /** The server's address, port and state, from {@code show servers state <backend>}. */
  ServerState serverState(String backend, String server) throws IOException {
    String answer = execute("show servers state " + backend);
    if (answer.startsWith("Can't find backend")) {
      throw new MissingServerException("HAProxy has no backend " + backend);
    }
    List<String> lines = answer.lines().filter(l -> !l.isBlank()).toList();
    Optional<String> header = lines.stream().filter(l -> l.startsWith("# ")).findFirst();
    if (header.isEmpty()) {
      throw new IOException("unexpected answer to show servers state: " + firstLine(answer));
    }
    List<String> columns = Arrays.asList(header.get().substring(2).split(" "));
    for (String line : lines) {
      if (line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split(" ");
      if (fields.length >= columns.size() && fields[columns.indexOf("srv_name")].equals(server)) {
        return new ServerState(fields[columns.indexOf("srv_addr")],
            Integer.parseInt(fields[columns.indexOf("srv_port")]),
            Integer.parseInt(fields[columns.indexOf("srv_admin_state")]),
            Integer.parseInt(fields[columns.indexOf("srv_op_state")]));
      }
    }
    throw new MissingServerException("HAProxy has no server " + backend + "/" + server);
  }

  /**
   * Moves a server to a new address and closes every session it still has. Maintenance first,
   * so no new session reaches the server between the move and the shutdown of sessions; the
   * sessions then shut down can only be ones to the old address.
   */
  void moveServer(String backend, String server, String address, int port) throws IOException {
    if (!Hosts.isIpAddress(address)) {
      throw new IllegalArgumentException("the Runtime API takes an IPv4 or IPv6 address, not "
          + Printable.quote(address));
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
    }
    String name = backend + "/" + server;
    expectEmpty("set server " + name + " state maint");
    String answer = execute("set server " + name + " addr " + address + " port " + port);
    if (!answer.contains("changed") && !answer.contains("no need to change")) {
      throw refusal("set server " + name + " addr", answer);
    }
    expectEmpty("shutdown sessions server " + name);
    expectEmpty("set server " + name + " state ready");
  }

  void ready(String backend, String server) throws IOException {
    expectEmpty("set server " + backend + "/" + server + " state ready");
  }

  private void expectEmpty(String command) throws IOException {
    String answer = execute(command);
    if (!answer.isBlank()) {
      throw refusal(command, answer);
    }
  }

  private static IOException refusal(String command, String answer) {
    if (answer.startsWith("No such")) {
      return new MissingServerException("HAProxy: " + firstLine(answer) + " (" + command + ")");
    }
    return new RefusedException("HAProxy refused '" + command + "': " + firstLine(answer));
  }

  /**
   * Sends one command and returns HAProxy's whole answer. HAProxy splits its input into commands
   * at line breaks and {@code ;} (a backslash escapes them), so a command holding any of those,
   * or another control character, is refused before it is sent.
   */
  String execute(String command) throws IOException {
    if (!Printable.isPrintable(command) || command.indexOf(';') >= 0
        || command.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("refusing to send HAProxy " + Printable.quote(command)
          + ": one command, without ';', '\\' or control characters");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = Selector.open()) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.configureBlocking(false);
      ByteBuffer request = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
      channel.register(selector, SelectionKey.OP_WRITE);
      while (request.hasRemaining()) {
        await(selector, deadline, command);
        channel.write(request);
      }
      channel.register(selector, SelectionKey.OP_READ);
      ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
      java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
      while (true) {
        await(selector, deadline, command);
        int read = channel.read(buffer);
        if (read < 0) {
          return answer.toString(StandardCharsets.UTF_8);
        }
        answer.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
    }
  }

  private void await(Selector selector, long deadline, String command) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0 || selector.select(Math.max(1, left / 1_000_000)) == 0
        && System.nanoTime() - deadline >= 0) {
      throw new IOException("HAProxy did not answer '" + command + "' on " + socket + " within "
          + timeout.toMillis() + " ms");
    }
    selector.selectedKeys().clear();
  }

  private static String firstLine(String text) {
    return text.strip().lines().findFirst().orElse("(empty answer)");
  }
}
