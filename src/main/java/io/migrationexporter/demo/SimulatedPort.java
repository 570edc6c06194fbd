package io.migrationexporter.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A piece of infrastructure with no HTTP face (a data warehouse port): it accepts connections while
 * open and refuses them once closed.
 */
final class SimulatedPort implements AutoCloseable {
  private final String name;
  private final int port;
  private ServerSocket socket;

  SimulatedPort(String name) {
    this.name = name;
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      this.port = probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    setClosed(false);
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  synchronized void setClosed(boolean closed) {
    if (closed && socket != null) {
      close();
    } else if (!closed && socket == null) {
      try {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        socket = server;
        Daemons.named("demo-port-" + name).newThread(() -> accept(server)).start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot reopen port " + port, e);
      }
    }
  }

  private static void accept(ServerSocket server) {
    while (!server.isClosed()) {
      try (Socket client = server.accept()) {
        client.getOutputStream().flush();
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public synchronized void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing a listening socket only fails if it is already closed
      }
      socket = null;
    }
  }

  @Override
  public String toString() {
    return "the simulated " + name + " port";
  }
}
