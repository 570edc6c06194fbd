package io.migrationexporter.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Lets a request through only with valid basic-auth credentials. Remembered credentials pass on the
 * I/O thread; others move to a worker thread for bcrypt.
 */
final class BasicAuthHandler implements HttpHandler {
  static final String CHALLENGE = "Basic realm=\"migration-exporter\", charset=\"UTF-8\"";

  private final BasicAuth auth;
  private final HttpHandler next;

  BasicAuthHandler(BasicAuth auth, HttpHandler next) {
    this.auth = auth;
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    Optional<BasicAuth.Credentials> credentials =
        BasicAuth.credentials(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
    if (credentials.isEmpty()) {
      challenge(exchange, "authentication required");
      return;
    }
    if (auth.remembered(credentials.get())) {
      next.handleRequest(exchange);
      return;
    }
    if (exchange.isInIoThread()) {
      exchange.dispatch(this);
      return;
    }
    switch (auth.verify(credentials.get())) {
      case ALLOWED -> next.handleRequest(exchange);
      case DENIED -> challenge(exchange, "wrong user name or password");
      case BUSY -> {
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
        send(exchange, 429, "too many password checks at once, retry in a second");
      }
    }
  }

  private static void challenge(HttpServerExchange exchange, String message) {
    exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, CHALLENGE);
    send(exchange, 401, message);
  }

  /** The same JSON shape as the API's errors; the messages are constants. */
  private static void send(HttpServerExchange exchange, int status, String message) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    exchange.getResponseSender().send(ByteBuffer.wrap(("{\n  \"error\" : \"" + message + "\"\n}\n")
        .getBytes(StandardCharsets.UTF_8)));
  }
}
