package io.baton.testkit.netns;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A TCP server run in a namespace by the tests: greets every connection with one line. */
public final class GreeterMain {
  private GreeterMain() {}

  public static void main(String[] args) throws Exception {
    String address = args[0];
    int port = Integer.parseInt(args[1]);
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getByName(address), port));
      System.out.println("listening on " + address + ":" + port);
      while (true) {
        try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
          out.write(("hello from " + address + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
    }
  }
}
