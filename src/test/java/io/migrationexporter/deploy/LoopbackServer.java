package io.migrationexporter.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The HTTP servers of the end-to-end test, on 127.0.0.1 and a free port: a simulated app that
 * answers 200 while open and its maintenance answer once closed, and a chat webhook that keeps
 * what Alertmanager posts.
 */
final class LoopbackServer implements AutoCloseable {
  private final HttpServer server;

  private LoopbackServer(HttpHandler handler) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", handler);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** A web app that answers 200 while open, {@code closedStatus} while in maintenance. */
  static final class App implements AutoCloseable {
    private final LoopbackServer server;
    private volatile boolean closed;

    App(int closedStatus) {
      server = new LoopbackServer(exchange -> {
        boolean maintenance = closed;
        respond(exchange, maintenance ? closedStatus : 200,
            maintenance ? "In maintenance" : "Welcome");
      });
    }

    String url() {
      return server.url("/");
    }

    void setClosed(boolean value) {
      closed = value;
    }

    @Override
    public void close() {
      server.close();
    }
  }

  /** A Slack-compatible incoming webhook standing in for the team's chat channel. */
  static final class ChatSink implements AutoCloseable {
    private final List<String> posts = new CopyOnWriteArrayList<>();
    private final LoopbackServer server;

    ChatSink() {
      server = new LoopbackServer(exchange -> {
        posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        respond(exchange, 200, "ok");
      });
    }

    String url() {
      return server.url("/hooks/migration");
    }

    /** The JSON bodies posted so far. */
    List<String> posts() {
      return List.copyOf(posts);
    }

    @Override
    public void close() {
      server.close();
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
