package io.migrationexporter.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migrationexporter.app.Board;
import io.migrationexporter.app.Runtime;
import io.migrationexporter.check.GateResult;
import io.migrationexporter.phase.PhaseConfiguredException;
import io.migrationexporter.web.AdminToken;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The JSON API: status, events, gates a script waits on, and the phase. */
final class ApiHandler {
  private static final Logger LOG = Logger.getLogger(ApiHandler.class.getName());
  private static final int MAX_BODY = 64 * 1024;
  /** Never the name asked for: an answer that repeats request text would pass the redactor, and
   * a guess equal to a loaded secret would come back {@code <redacted>}. */
  private static final String NO_SUCH_GATE = "no such gate; GET /api/gates lists them";

  private static final HttpString SEC_FETCH_SITE = new HttpString("Sec-Fetch-Site");

  private final AdminToken adminToken = new AdminToken();

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

  /** {@code ?after=<sequence>&limit=<count>}; a limit above 1000 gives 1000. */
  void events(HttpServerExchange exchange) {
    OptionalLong after = wholeParameter(exchange, "after", 0, 0);
    if (after.isEmpty()) {
      return;
    }
    OptionalLong limit = wholeParameter(exchange, "limit", 1, 100);
    if (limit.isEmpty()) {
      return;
    }
    ObjectNode root = Views.JSON.createObjectNode();
    ArrayNode events = root.putArray("events");
    runtime.journal().after(after.getAsLong(), (int) Math.min(1000, limit.getAsLong())).forEach(event -> events.add(Views.event(event)));
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
      Responses.error(exchange, 404, NO_SUCH_GATE);
      return;
    }
    Board board = freshBoard(exchange);
    Optional<GateResult> gate = board.gate(name);
    if (gate.isEmpty()) {
      Responses.error(exchange, 404, NO_SUCH_GATE);
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
    if (!adminToken.allows(exchange, runtime.plan().server().adminToken(),
        "phase changes over HTTP are switched off: no server.admin-token is configured")) {
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
      Responses.error(exchange, 400, "no such phase; the phases are "
          + String.join(", ", runtime.phases().order()));
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
   * The whole number {@code name} of the query, {@code fallback} when absent, empty (and a 400
   * answered) when it is not a whole number of at least {@code least}: {@code abc}, {@code -1} or
   * {@code 1e3} is a client's mistake, not a 0. The message names the parameter, not its value.
   */
  private static OptionalLong wholeParameter(HttpServerExchange exchange, String name,
      long least, long fallback) {
    Deque<String> values = exchange.getQueryParameters().get(name);
    if (values == null || values.isEmpty()) {
      return OptionalLong.of(fallback);
    }
    String value = values.getFirst();
    if (value.matches("[0-9]{1,18}") && Long.parseLong(value) >= least) {
      return OptionalLong.of(Long.parseLong(value));
    }
    Responses.error(exchange, 400, "query parameter " + name + " must be a whole number of at least "
        + least + ", written in digits");
    return OptionalLong.empty();
  }

  /**
   * {@code POST /-/reload}: with {@code server.enable-lifecycle}, or the admin token. Off by
   * default, as Prometheus's lifecycle endpoints: every reload is an event, and anybody able to
   * reach the port (a page on another site too, with {@code mode: 'no-cors'}) could reload at will.
   */
  void reload(HttpServerExchange exchange) {
    if (fromAnotherSite(exchange)) {
      Responses.error(exchange, 403, "reloads are not taken from pages of other sites");
      return;
    }
    if (!runtime.plan().server().enableLifecycle() && !adminToken.allows(exchange,
        runtime.plan().server().adminToken(), "reloads over HTTP are switched off: set"
            + " server.enable-lifecycle = true, or server.admin-token and send it; SIGHUP reloads"
            + " too")) {
      return;
    }
    List<String> problems = runtime.reload();
    Responses.json(exchange, problems.isEmpty() ? 200 : 400,
        reloadAnswer(problems, runtime.clock().instant()));
  }

  /**
   * True for a request a browser sends on behalf of a page of another site: with the lifecycle
   * setting on, such a page could otherwise reload at will through a visitor's browser. Reloaders
   * and scripts send no {@code Sec-Fetch-Site}.
   */
  private static boolean fromAnotherSite(HttpServerExchange exchange) {
    String site = exchange.getRequestHeaders().getFirst(SEC_FETCH_SITE);
    return site != null && !site.equals("same-origin") && !site.equals("none");
  }

  /** The problems of a refused configuration. */
  private static ObjectNode reloadAnswer(List<String> problems, Instant at) {
    ObjectNode root = Views.JSON.createObjectNode();
    root.put("status", problems.isEmpty() ? "reloaded" : "refused");
    root.put("at", at.toString());
    ArrayNode list = root.putArray("problems");
    problems.forEach(list::add);
    return root;
  }
}
