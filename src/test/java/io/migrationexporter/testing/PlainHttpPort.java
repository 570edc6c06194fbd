package io.migrationexporter.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A plain-HTTP port as nginx or Apache run one: whatever arrives, even a TLS ClientHello, gets
 * "400 Bad Request" at once and the connection is closed. (The JDK's own HttpServer instead waits
 * for a request line that a ClientHello never completes, which would test a timeout, not TLS.)
 */
public final class PlainHttpPort implements AutoCloseable {
  private static final byte[] BAD_REQUEST = ("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n"
      + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket socket;

  private PlainHttpPort(ServerSocket socket) {
    this.socket = socket;
  }

  public static PlainHttpPort start() throws IOException {
    PlainHttpPort port = new PlainHttpPort(new ServerSocket(0, 16, InetAddress.getLoopbackAddress()));
    Thread acceptor = new Thread(port::serve, "plain-http-port");
    acceptor.setDaemon(true);
    acceptor.start();
    return port;
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket connection = socket.accept()) {
        InputStream in = connection.getInputStream();
        in.read(new byte[4096]);
        OutputStream out = connection.getOutputStream();
        out.write(BAD_REQUEST);
        out.flush();
      } catch (IOException e) {
        // closed by the test, or the client went away: next connection
      }
    }
  }

  public int port() {
    return socket.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
