package io.migrationexporter.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request on its own socket, bound to a chosen loopback address (127.0.0.0/8 is all
 * loopback on Linux), so that a test can play many clients; the whole answer as text.
 */
public final class RawHttp {
  private RawHttp() {}

  /** Sends {@code request} (CRLFs included) from {@code from} to 127.0.0.1:{@code port}. */
  public static String exchange(String from, int port, String request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** A GET of {@code path} with {@code headers} (each "Name: value"), closing the connection. */
  public static String get(String path, String... headers) {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    return request.append("Connection: close\r\n\r\n").toString();
  }

  /** The status code of a raw answer. */
  public static int status(String answer) {
    return Integer.parseInt(answer.substring(9, 12));
  }
}
