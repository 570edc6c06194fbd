package io.migrationexporter.web;

import io.migrationexporter.config.Secret;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.time.Duration;
import java.util.Optional;

/**
 * The admin token a request must carry to change the phase or reload: as {@code Authorization:
 * Bearer <token>} or, because basic auth takes the Authorization header, as {@code X-Admin-Token:
 * <token>}. A wrong token is counted ({@code migration_exporter_auth_failures_total{method=
 * "admin_token"}}), logged at most once a minute, and an address that sent {@link
 * FailureLimit#LIMIT} wrong tokens within a minute gets 429 until the minute ends, without its
 * token being compared: guessing is slowed from thousands a second to ten a minute.
 */
public final class AdminToken {
  public static final HttpString HEADER = new HttpString("X-Admin-Token");

  private final FailureLimit failures = new FailureLimit();

  /**
   * True when the request carries {@code token}; otherwise answers 403 (no token configured: the
   * action is {@code switchedOff}; or a wrong token), 401 (none sent) or 429, and returns false.
   * The comparison takes the same time wherever the tokens differ.
   */
  public boolean allows(HttpServerExchange exchange, Optional<Secret> token, String switchedOff) {
    if (token.isEmpty()) {
      BasicAuthHandler.send(exchange, 403, switchedOff);
      return false;
    }
    String sent = exchange.getRequestHeaders().getFirst(HEADER);
    String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (sent == null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      sent = header.substring(7);
    }
    if (sent == null) {
      exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE,
          "Bearer realm=\"migration-exporter\"");
      BasicAuthHandler.send(exchange, 401, "send the admin token as Authorization: Bearer"
          + " <token>, or as " + HEADER + ": <token> when basic auth is on");
      return false;
    }
    String address = BasicAuthHandler.address(exchange);
    Optional<Duration> blocked = failures.blocked(address);
    if (blocked.isPresent()) {
      BasicAuthHandler.tooMany(exchange, Math.max(1, blocked.get().toSeconds() + 1),
          "too many wrong admin tokens from this address; retry later");
      return false;
    }
    if (!token.get().matches(sent.trim())) {
      failures.failed(address);
      AuthFailures.record(AuthFailures.Method.ADMIN_TOKEN, address);
      BasicAuthHandler.send(exchange, 403, "the admin token is wrong");
      return false;
    }
    return true;
  }
}
