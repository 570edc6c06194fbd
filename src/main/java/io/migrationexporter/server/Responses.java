package io.migrationexporter.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.config.Redactor;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Sending answers; everything served passes the redactor. */
final class Responses {
  private Responses() {}

  static void json(HttpServerExchange exchange, int status, JsonNode body) {
    send(exchange, status, "application/json", jsonText(body));
  }

  static void error(HttpServerExchange exchange, int status, String message) {
    json(exchange, status, Views.error(message));
  }

  /** The body {@link #error} sends, for answers written below the exchange. */
  static String errorJson(String message) {
    return jsonText(Views.error(message));
  }

  private static String jsonText(JsonNode body) {
    String text;
    try {
      text = Views.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
    return Redactor.redact(text) + "\n";
  }

  /**
   * For an exchange ending with a 4xx or 5xx and no body: sends the status's reason as the error,
   * so that every refusal says something. True when it answered.
   */
  static boolean explainBareError(HttpServerExchange exchange) {
    int status = exchange.getStatusCode();
    if (status < 400 || exchange.isResponseStarted()) {
      return false;
    }
    error(exchange, status, StatusCodes.getReason(status).toLowerCase(Locale.ROOT));
    return true;
  }

  static void text(HttpServerExchange exchange, int status, String body) {
    send(exchange, status, "text/plain; charset=utf-8", Redactor.redact(body));
  }

  private static void send(HttpServerExchange exchange, int status, String type, String body) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    exchange.getResponseSender().send(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
  }
}
