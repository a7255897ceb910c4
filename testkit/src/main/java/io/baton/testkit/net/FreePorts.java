package io.baton.testkit.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Free TCP ports on 127.0.0.1 (or another local address), for servers that must be told their port before they start
 * (PostgreSQL, the broker's listeners).
 *
 * <p>A port is free when asked and may be taken by another process before the server binds it;
 * the kernel hands out ephemeral ports in a spread-out order, so that is rare. Within this JVM a
 * port is never handed out twice, so two servers started at the same time cannot be given the
 * same one.
 */
public final class FreePorts {
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePorts() {}

  public static int loopback() {
    return loopback(1).get(0);
  }

  /** A free port on a local address other than loopback, e.g. a network lab's bridge. */
  public static synchronized int on(String address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
      HANDED_OUT.add(socket.getLocalPort());
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + address
          + " (is the address assigned to an interface of this namespace?)", e);
    }
  }

  /** {@code count} distinct free ports. */
  public static synchronized List<Integer> loopback(int count) {
    List<Integer> ports = new ArrayList<>();
    List<ServerSocket> held = new ArrayList<>();
    try {
      // Sockets stay open until all are found, so the kernel cannot return one port twice.
      while (ports.size() < count) {
        ServerSocket socket = new ServerSocket();
        held.add(socket);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = socket.getLocalPort();
        if (HANDED_OUT.add(port)) {
          ports.add(port);
        }
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing a listening socket that never accepted anything does not fail in practice
        }
      }
    }
  }
}
