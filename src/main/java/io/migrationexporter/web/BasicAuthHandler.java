package io.migrationexporter.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Lets a request through only with valid basic-auth credentials. Remembered credentials pass on the
 * I/O thread; others wait for bcrypt on {@link PasswordChecks}' thread, never on a worker, and are
 * refused with 429 at once when its queue is full or their address failed too often.
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
    String address = address(exchange);
    Optional<Duration> blocked = auth.failures().blocked(address);
    if (blocked.isPresent()) {
      tooMany(exchange, Math.max(1, blocked.get().toSeconds() + 1),
          "too many wrong passwords from this address; retry later");
      return;
    }
    // Once this handler returns, the exchange waits for the check: dispatched, not ended.
    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
      if (!PasswordChecks.submit(() -> check(exchange, credentials.get(), address))) {
        tooMany(exchange, 1, "too many password checks at once, retry in a second");
      }
    });
  }

  /** On the bcrypt thread: verifies, then goes on (or answers) on the exchange's I/O thread. */
  private void check(HttpServerExchange exchange, BasicAuth.Credentials credentials,
      String address) {
    BasicAuth.Outcome outcome = auth.verify(credentials);
    if (outcome == BasicAuth.Outcome.ALLOWED) {
      exchange.dispatch(exchange.getIoThread(), next);
      return;
    }
    auth.failures().failed(address);
    AuthFailures.record(AuthFailures.Method.BASIC, address);
    exchange.dispatch(exchange.getIoThread(),
        denied -> challenge(denied, "wrong user name or password"));
  }

  private static String address(HttpServerExchange exchange) {
    InetSocketAddress source = exchange.getSourceAddress();
    return source == null || source.getAddress() == null ? "unknown"
        : source.getAddress().getHostAddress();
  }

  private static void tooMany(HttpServerExchange exchange, long retryAfterSeconds,
      String message) {
    exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(retryAfterSeconds));
    send(exchange, 429, message);
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
