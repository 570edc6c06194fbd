package io.migrationexporter.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migrationexporter.app.Board;
import io.migrationexporter.app.Runtime;
import io.migrationexporter.check.GateResult;
import io.migrationexporter.config.Secret;
import io.migrationexporter.phase.PhaseConfiguredException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The JSON API: status, events, gates a script waits on, and the phase. */
final class ApiHandler {
  private static final Logger LOG = Logger.getLogger(ApiHandler.class.getName());
  private static final int MAX_BODY = 64 * 1024;
  static final HttpString ADMIN_TOKEN_HEADER = new HttpString("X-Admin-Token");

  private final Runtime runtime;

  ApiHandler(Runtime runtime) {
    this.runtime = runtime;
  }

  private Board freshBoard(HttpServerExchange exchange) {
    return runtime.board(Deadlines.of(exchange, runtime.plan().server(), runtime.clock().instant()));
  }

  void status(HttpServerExchange exchange) {
    Board board = freshBoard(exchange);
    Responses.json(exchange, 200, Views.status(board, runtime.plan().apps().values(),
        runtime.clock().instant()));
  }

  void events(HttpServerExchange exchange) {
    long after = longParameter(exchange, "after", 0);
    int limit = (int) Math.max(1, Math.min(1000, longParameter(exchange, "limit", 100)));
    ObjectNode root = Views.JSON.createObjectNode();
    ArrayNode events = root.putArray("events");
    runtime.journal().after(after, limit).forEach(event -> events.add(Views.event(event)));
    Responses.json(exchange, 200, root);
  }

  void gates(HttpServerExchange exchange) {
    Board board = freshBoard(exchange);
    ObjectNode root = Views.JSON.createObjectNode();
    ArrayNode gates = root.putArray("gates");
    board.gates().forEach(gate -> gates.add(Views.gate(gate, board.phase().current())));
    Responses.json(exchange, 200, root);
  }

  /** 200 when the gate is open, 503 when not, so that {@code curl -f} can wait on it. */
  void gate(HttpServerExchange exchange) {
    String name = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("name");
    if (runtime.plan().gate(name).isEmpty()) {
      Responses.error(exchange, 404, "no gate named '" + name + "'");
      return;
    }
    Board board = freshBoard(exchange);
    Optional<GateResult> gate = board.gate(name);
    if (gate.isEmpty()) {
      Responses.error(exchange, 404, "no gate named '" + name + "'");
      return;
    }
    Responses.json(exchange, gate.get().open() ? 200 : 503, Views.gate(gate.get(), board.phase().current()));
  }

  void getPhase(HttpServerExchange exchange) {
    Responses.json(exchange, 200, Views.phase(runtime.phases().view()));
  }

  /**
   * PUT {"phase": "maintenance"} with the admin token as bearer. 409 when the configuration sets
   * the phase, before the token is looked at: no token would help, and no token may be configured.
   */
  void putPhase(HttpServerExchange exchange) throws IOException {
    Optional<String> configured = runtime.phases().source().refusal();
    if (configured.isPresent()) {
      Responses.error(exchange, 409, configured.get());
      return;
    }
    if (!authorized(exchange)) {
      return;
    }
    byte[] bytes;
    try (InputStream in = exchange.getInputStream()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    } catch (IOException e) {
      // A malformed chunked body or one over the server's limit: Undertow may have closed the
      // connection already, and then there is nobody to answer.
      if (!exchange.isResponseStarted()) {
        Responses.error(exchange, 400, "the body could not be read: malformed, or larger than "
            + MAX_BODY + " bytes");
      }
      return;
    }
    if (bytes.length > MAX_BODY) {
      Responses.error(exchange, 413, "the body is larger than " + MAX_BODY + " bytes");
      return;
    }
    JsonNode body;
    try {
      body = Views.JSON.readTree(bytes);
    } catch (IOException e) {
      Responses.error(exchange, 400, "the body is not JSON; send {\"phase\": \"<name>\"}");
      return;
    }
    if (body == null || !body.isObject() || !body.path("phase").isTextual()) {
      Responses.error(exchange, 400, "send {\"phase\": \"<name>\"}, one of "
          + String.join(", ", runtime.phases().order()));
      return;
    }
    String actor = "api";
    if (body.path("actor").isTextual() && body.path("actor").asText().matches("[\\w .@-]{1,64}")) {
      actor = body.path("actor").asText();
    }
    String phase = body.path("phase").asText();
    try {
      runtime.enterPhase(phase, actor);
    } catch (PhaseConfiguredException e) {
      // a reload set phases.current while this request was on its way
      Responses.error(exchange, 409, e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      Responses.error(exchange, 400, e.getMessage());
      return;
    } catch (IOException e) {
      LOG.log(Level.SEVERE, "cannot save the phase state", e);
      Responses.error(exchange, 500, "the phase could not be saved, it is unchanged: "
          + e.getClass().getSimpleName());
      return;
    }
    Responses.json(exchange, 200, Views.phase(runtime.phases().view()));
  }

  /**
   * 403 when changes are switched off (no token configured) or the token is wrong, 401 when none
   * is sent. The token comes as {@code Authorization: Bearer <token>} or, because basic auth
   * (web configuration file) takes the Authorization header, as {@code X-Admin-Token: <token>}.
   * The comparison takes the same time wherever the tokens differ.
   */
  private boolean authorized(HttpServerExchange exchange) {
    Optional<Secret> token = runtime.plan().server().adminToken();
    if (token.isEmpty()) {
      Responses.error(exchange, 403, "phase changes over HTTP are switched off: no"
          + " server.admin-token is configured");
      return false;
    }
    String sent = exchange.getRequestHeaders().getFirst(ADMIN_TOKEN_HEADER);
    String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (sent == null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      sent = header.substring(7);
    }
    if (sent == null) {
      exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"migration-exporter\"");
      Responses.error(exchange, 401, "send the admin token as Authorization: Bearer <token>, or as "
          + ADMIN_TOKEN_HEADER + ": <token> when basic auth is on");
      return false;
    }
    if (!token.get().matches(sent.trim())) {
      Responses.error(exchange, 403, "the admin token is wrong");
      return false;
    }
    return true;
  }

  private static long longParameter(HttpServerExchange exchange, String name, long fallback) {
    Deque<String> values = exchange.getQueryParameters().get(name);
    if (values == null || values.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(values.getFirst());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** For the reload endpoint: the problems of a refused configuration. */
  static ObjectNode reloadAnswer(List<String> problems, Instant at) {
    ObjectNode root = Views.JSON.createObjectNode();
    root.put("status", problems.isEmpty() ? "reloaded" : "refused");
    root.put("at", at.toString());
    ArrayNode list = root.putArray("problems");
    problems.forEach(list::add);
    return root;
  }
}
