package io.migrationexporter.server;

import io.migrationexporter.app.Board;
import io.migrationexporter.app.Runtime;
import io.migrationexporter.metrics.Exposition;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * /metrics. The I/O thread only sends bytes already rendered for the current board (rendered ahead
 * when the board was built, or by an earlier scrape); anything else moves to a worker thread: a
 * refresh that is due, which the request waits for no longer than its deadline, or the
 * serialization of a board, which takes tens of milliseconds at 1000 checks, during which every
 * other connection of that I/O thread would wait.
 */
final class MetricsHandler implements HttpHandler {
  private final Runtime runtime;
  private final Exposition exposition;

  MetricsHandler(Runtime runtime, Exposition exposition) {
    this.runtime = runtime;
    this.exposition = exposition;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    ExpositionFormatWriter writer =
        exposition.writer(exchange.getRequestHeaders().getFirst(Headers.ACCEPT));
    boolean gzip = acceptsGzip(exchange.getRequestHeaders().getFirst(Headers.ACCEPT_ENCODING));
    if (exchange.isInIoThread()) {
      // Never waits: no refresh due, no board to build, no serialization (see readyBoard).
      Optional<byte[]> ready =
          runtime.readyBoard().flatMap(board -> exposition.ready(board, writer, gzip));
      if (ready.isEmpty()) {
        exchange.dispatch(this);
        return;
      }
      send(exchange, writer, gzip, ready.get());
      return;
    }
    Board board = runtime.board(Deadlines.of(exchange, runtime.plan().server(),
        runtime.clock().instant()));
    send(exchange, writer, gzip, exposition.bytes(board, writer, gzip));
  }

  private static void send(HttpServerExchange exchange, ExpositionFormatWriter writer,
      boolean gzip, byte[] body) {
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, writer.getContentType());
    exchange.getResponseHeaders().put(Headers.VARY, "Accept, Accept-Encoding");
    if (gzip) {
      exchange.getResponseHeaders().put(Headers.CONTENT_ENCODING, "gzip");
    }
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
    new Slices(body).onComplete(exchange, exchange.getResponseSender());
  }

  /**
   * Sends a body a slice at a time. A heap buffer handed to a socket is copied whole into native
   * memory on every write, and a large body takes many partial writes: sent at once, a 1 MB
   * exposition was copied several times over, which cost as much CPU as the sending itself.
   */
  private static final class Slices implements IoCallback {
    private static final int SLICE = 64 * 1024;
    private final byte[] body;
    private int offset;

    Slices(byte[] body) {
      this.body = body;
    }

    @Override
    public void onComplete(HttpServerExchange exchange, Sender sender) {
      if (offset >= body.length) {
        IoCallback.END_EXCHANGE.onComplete(exchange, sender);
        return;
      }
      int length = Math.min(SLICE, body.length - offset);
      ByteBuffer slice = ByteBuffer.wrap(body, offset, length);
      offset += length;
      sender.send(slice, this);
    }

    @Override
    public void onException(HttpServerExchange exchange, Sender sender, IOException exception) {
      IoCallback.END_EXCHANGE.onException(exchange, sender, exception);
    }
  }

  /** True when the client lists gzip without refusing it ({@code gzip;q=0}). */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] pieces = part.trim().split(";");
      if (pieces[0].trim().equalsIgnoreCase("gzip")) {
        for (int i = 1; i < pieces.length; i++) {
          String parameter = pieces[i].trim().replace(" ", "");
          if (parameter.matches("q=0(\\.0*)?")) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }
}
