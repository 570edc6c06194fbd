import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * The apps the benchmark probes, all on one loopback port, served by one NIO selector thread so
 * that a thousand requests left hanging cost a socket each and nothing else.
 *
 * <pre>
 *   GET /app/N   answers the configured status (default 503, a maintenance page), keep-alive
 *   GET /hang/N  reads the request and never answers, until the client gives up
 *   GET /stats   one line: requests answered, requests hanging now, most hanging at once
 * </pre>
 *
 * Run with {@code java bench/Target.java [--port P] [--status S]}; it prints
 * {@code listening PORT} once bound (port 0, the default, picks a free one) and stops on SIGTERM.
 * Benchmark code only: not part of the exporter.
 */
public final class Target {
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

  private final int status;
  private long answered;
  private int hanging;
  private int mostHanging;

  private Target(int status) {
    this.status = status;
  }

  /** One client connection: bytes read so far, an answer still being written, whether it hangs. */
  private static final class Connection {
    ByteBuffer in = ByteBuffer.allocate(8192);
    ByteBuffer out;
    boolean hangs;
  }

  public static void main(String[] args) throws IOException {
    int port = 0;
    int status = 503;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--status" -> status = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: java bench/Target.java [--port P] [--status S]");
          System.exit(2);
        }
      }
    }
    new Target(status).serve(port);
  }

  private void serve(int port) throws IOException {
    Selector selector = Selector.open();
    ServerSocketChannel server = ServerSocketChannel.open();
    server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    // A thousand probes connect at once: the accept queue must hold them all.
    server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
    System.out.println("listening " + ((InetSocketAddress) server.getLocalAddress()).getPort());
    System.out.flush();
    while (true) {
      selector.select();
      Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
      while (keys.hasNext()) {
        SelectionKey key = keys.next();
        keys.remove();
        try {
          if (key.isAcceptable()) {
            accept(server, selector);
          } else {
            if (key.isReadable()) {
              read(key);
            }
            if (key.isValid() && key.isWritable()) {
              write(key);
            }
          }
        } catch (IOException e) {
          close(key);
        }
      }
    }
  }

  private static void accept(ServerSocketChannel server, Selector selector) throws IOException {
    SocketChannel client;
    while ((client = server.accept()) != null) {
      client.configureBlocking(false);
      client.setOption(StandardSocketOptions.TCP_NODELAY, true);
      client.register(selector, SelectionKey.OP_READ, new Connection());
    }
  }

  private void read(SelectionKey key) throws IOException {
    Connection connection = (Connection) key.attachment();
    SocketChannel channel = (SocketChannel) key.channel();
    if (!connection.in.hasRemaining()) {
      if (connection.hangs) {
        connection.in.clear(); // a hanging request's extra bytes are of no interest
      } else {
        throw new IOException("request header too large");
      }
    }
    if (channel.read(connection.in) < 0) {
      close(key);
      return;
    }
    process(key, connection);
  }

  private void process(SelectionKey key, Connection connection) throws IOException {
    // Requests carry no body (GET): each one ends at the blank line; keep-alive clients send the
    // next only after the answer, so at most one request is buffered at a time.
    while (!connection.hangs && connection.out == null) {
      int end = indexOf(connection.in, HEADER_END);
      if (end < 0) {
        return;
      }
      String head = new String(connection.in.array(), 0, end, StandardCharsets.ISO_8859_1);
      int consumed = end + HEADER_END.length;
      ByteBuffer rest = ByteBuffer.allocate(connection.in.capacity());
      rest.put(connection.in.array(), consumed, connection.in.position() - consumed);
      connection.in = rest;
      respond(key, connection, head);
    }
  }

  private void respond(SelectionKey key, Connection connection, String head) throws IOException {
    int lineEnd = head.indexOf("\r\n");
    String requestLine = lineEnd < 0 ? head : head.substring(0, lineEnd);
    String[] parts = requestLine.split(" ");
    String path = parts.length > 1 ? parts[1] : "/";
    boolean close = head.toLowerCase().contains("\r\nconnection: close");
    if (path.startsWith("/hang/")) {
      connection.hangs = true;
      hanging++;
      mostHanging = Math.max(mostHanging, hanging);
      return;
    }
    int code;
    String body;
    if (path.startsWith("/app/")) {
      code = status;
      body = code == 503 ? "Down for maintenance\n" : "OK\n";
    } else if (path.equals("/stats")) {
      code = 200;
      body = "answered " + answered + " hanging " + hanging + " most-hanging " + mostHanging + "\n";
    } else {
      code = 404;
      body = "not found\n";
    }
    answered++;
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String answer = "HTTP/1.1 " + code + " " + reason(code) + "\r\n"
        + "Content-Type: text/plain\r\nContent-Length: " + bytes.length + "\r\n"
        + (close ? "Connection: close\r\n" : "") + "\r\n";
    ByteBuffer out = ByteBuffer.allocate(answer.length() + bytes.length);
    out.put(answer.getBytes(StandardCharsets.ISO_8859_1)).put(bytes).flip();
    connection.out = out;
    write(key);
    if (close && connection.out == null) {
      close(key);
    }
  }

  private void write(SelectionKey key) throws IOException {
    Connection connection = (Connection) key.attachment();
    if (connection.out == null) {
      key.interestOps(SelectionKey.OP_READ);
      return;
    }
    ((SocketChannel) key.channel()).write(connection.out);
    if (connection.out.hasRemaining()) {
      key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    } else {
      connection.out = null;
      key.interestOps(SelectionKey.OP_READ);
      process(key, connection); // a request that arrived while the answer was being written
    }
  }

  private void close(SelectionKey key) {
    Connection connection = (Connection) key.attachment();
    if (connection != null && connection.hangs) {
      hanging--;
      connection.hangs = false;
    }
    key.cancel();
    try {
      key.channel().close();
    } catch (IOException ignored) {
      // closing a broken socket: nothing left to do
    }
  }

  private static int indexOf(ByteBuffer buffer, byte[] needle) {
    byte[] bytes = buffer.array();
    for (int i = 0; i + needle.length <= buffer.position(); i++) {
      int j = 0;
      while (j < needle.length && bytes[i + j] == needle[j]) {
        j++;
      }
      if (j == needle.length) {
        return i;
      }
    }
    return -1;
  }

  private static String reason(int code) {
    return switch (code) {
      case 200 -> "OK";
      case 404 -> "Not Found";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }
}
