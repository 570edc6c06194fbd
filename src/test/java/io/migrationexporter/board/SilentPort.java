package io.migrationexporter.board;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A port that takes connections and never answers: an HTTP check on it is never completed
 * during a test, so its source stays "not yet polled".
 */
final class SilentPort implements AutoCloseable {
  private final ServerSocket socket;

  SilentPort() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  String url() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/";
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
