package io.migrationexporter.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatcher;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The paths served and the methods each allows: {@code HEAD} wherever {@code GET} is served (as
 * HTTP asks), a 405 that lists the allowed methods in {@code Allow}, and a 404 elsewhere. Neither
 * answer repeats what the request said (see {@link Responses}).
 */
final class Routes {
  private final RoutingHandler routing = new RoutingHandler();
  private final Map<String, Set<String>> methods = new LinkedHashMap<>();

  /** Serves {@code GET} and {@code HEAD} (Undertow sends the headers of a HEAD, not the body). */
  Routes get(String template, HttpHandler handler) {
    return add("GET", template, handler).add("HEAD", template, handler);
  }

  Routes post(String template, HttpHandler handler) {
    return add("POST", template, handler);
  }

  Routes put(String template, HttpHandler handler) {
    return add("PUT", template, handler);
  }

  private Routes add(String method, String template, HttpHandler handler) {
    routing.add(method, template, handler);
    methods.computeIfAbsent(template, t -> new LinkedHashSet<>()).add(method);
    return this;
  }

  HttpHandler handler() {
    PathTemplateMatcher<String> allowed = new PathTemplateMatcher<>();
    methods.forEach((template, names) -> allowed.add(template, String.join(", ", names)));
    HttpHandler routed = routing
        .setFallbackHandler(exchange -> Responses.error(exchange, 404,
            "not found; see / for the endpoints"))
        .setInvalidMethodHandler(exchange -> notAllowed(exchange, allowed));
    return exchange -> {
      if (unreadableLength(exchange)) {
        // RFC 9112 6.3: the body's length cannot be known; Undertow would read it until the
        // client closes, holding a worker meanwhile
        exchange.setPersistent(false);
        Responses.error(exchange, 400, "a Transfer-Encoding other than chunked is not accepted");
        return;
      }
      routed.handleRequest(exchange);
    };
  }

  /** A request whose Transfer-Encoding does not end with chunked. */
  private static boolean unreadableLength(HttpServerExchange exchange) {
    String codings = exchange.getRequestHeaders().getFirst(Headers.TRANSFER_ENCODING);
    if (codings == null) {
      return false;
    }
    String[] list = codings.split(",");
    return !list[list.length - 1].trim().equalsIgnoreCase("chunked");
  }

  private static void notAllowed(HttpServerExchange exchange, PathTemplateMatcher<String> allowed) {
    PathTemplateMatcher.PathMatchResult<String> match = allowed.match(exchange.getRelativePath());
    if (match != null) {
      exchange.getResponseHeaders().put(Headers.ALLOW, match.getValue());
    }
    Responses.error(exchange, 405, "this method is not allowed here; the Allow header lists those"
        + " that are");
  }
}
