package io.migrationexporter.server;

import io.migrationexporter.app.Reloadable;
import io.migrationexporter.app.Runtime;
import io.migrationexporter.config.ConfigException;
import io.migrationexporter.config.ConfigProblem;
import io.migrationexporter.metrics.Exposition;
import io.migrationexporter.web.WebConfig;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xnio.OptionMap;
import org.xnio.Options;

/** The exporter's HTTP face, on Undertow. */
public final class HttpServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(HttpServer.class.getName());
  /** How long a client may take to send a request's line and headers, in milliseconds. */
  static final int HEADER_READ_TIMEOUT_MS = 10_000;
  /**
   * How long a connection may wait for the client's next bytes, in milliseconds: closes a TLS
   * handshake begun and never finished (the header timeout starts after it) and idle connections;
   * Prometheus scraping every 15 s keeps its connection.
   */
  static final int READ_TIMEOUT_MS = 30_000;

  private final HttpListener listener;
  private final HttpHandler routes;
  /** The routes behind the basic auth and headers of the web configuration in force. */
  private final AtomicReference<HttpHandler> protectedRoutes;
  private volatile WebConfig web;

  private HttpServer(HttpListener listener, HttpHandler routes, WebConfig web,
      AtomicReference<HttpHandler> protectedRoutes) {
    this.listener = listener;
    this.routes = routes;
    this.web = web;
    this.protectedRoutes = protectedRoutes;
  }

  /**
   * Starts listening on {@code host:port} (port 0 picks a free one), with the TLS and basic auth
   * of {@code web}.
   *
   * @throws RuntimeException when the address cannot be bound
   */
  public static HttpServer start(Runtime runtime, Exposition exposition, String host, int port,
      WebConfig web) {
    ApiHandler api = new ApiHandler(runtime);
    BoardHandler board = new BoardHandler();
    ReportHandler report = new ReportHandler(runtime);
    HttpHandler routes = new Routes()
        .get("/metrics", new MetricsHandler(runtime, exposition))
        .get("/", board::page)
        .get("/board/{file}", board::asset)
        .get("/report", blocking(report::page))
        .get("/-/healthy", exchange -> Responses.text(exchange, 200, "Healthy.\n"))
        .get("/-/ready", exchange -> {
          boolean ready = runtime.ready();
          Responses.text(exchange, ready ? 200 : 503, ready ? "Ready.\n"
              : "Not ready: the first collection has not finished.\n");
        })
        .post("/-/reload", blocking(api::reload))
        .get("/api/status", blocking(api::status))
        .get("/api/events", api::events)
        .get("/api/gates", blocking(api::gates))
        .get("/api/gates/{name}", blocking(api::gate))
        .get("/api/phase", api::getPhase)
        .put("/api/phase", blocking(api::putPhase))
        .handler();

    AtomicReference<HttpHandler> protectedRoutes = new AtomicReference<>(web.protect(routes));
    OptionMap workerOptions = OptionMap.builder()
        .set(Options.WORKER_IO_THREADS, 2)
        .set(Options.WORKER_TASK_CORE_THREADS, 32)
        .set(Options.WORKER_TASK_MAX_THREADS, 32)
        .getMap();
    OptionMap socketOptions = OptionMap.builder()
        .set(Options.TCP_NODELAY, true)
        .set(Options.READ_TIMEOUT, READ_TIMEOUT_MS)
        .addAll(web.tlsOptions())
        .getMap();
    OptionMap serverOptions = OptionMap.builder()
        .set(UndertowOptions.MAX_ENTITY_SIZE, 1024L * 1024)
        .set(UndertowOptions.MAX_HEADER_SIZE, 64 * 1024)
        .set(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
        // a request's line and headers must arrive within this: half-sent ones are not held
        .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, HEADER_READ_TIMEOUT_MS)
        .set(UndertowOptions.IDLE_TIMEOUT, 120_000)
        .set(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
        .set(UndertowOptions.ENABLE_HTTP2, web.http2())
        .getMap();
    HttpListener listener = HttpListener.open(host, port, web.sslContext(),
        guarded(exchange -> protectedRoutes.get().handleRequest(exchange)), workerOptions,
        socketOptions, serverOptions);
    return new HttpServer(listener, routes, web, protectedRoutes);
  }

  /**
   * The web configuration file as a part of every reload: the file named on the command line when
   * there is one, else the one the reloaded plan names. Certificates and keys (TLS context) and
   * basic auth users and headers change for the next connection and request; what the listener
   * fixes at start (TLS on or off, versions, suites, client certificates asked or not) cannot, and
   * a change to it refuses the reload.
   */
  public Reloadable webReload(Optional<Path> commandLineFile) {
    return plan -> {
      WebConfig next = WebConfig.load(commandLineFile.or(() -> plan.server().webConfigFile()));
      Optional<String> restart = web.restartNeededFor(next);
      if (restart.isPresent()) {
        // when the new plan names no file, the problem is in the one in force
        WebConfig named = next == WebConfig.PLAIN ? web : next;
        throw new ConfigException(new ConfigProblem(named.fileName(), -1, null, restart.get()
            + ", which the running listener cannot change: restart the exporter to apply it"));
      }
      return () -> {
        // certificate, key and client CAs; restartNeededFor refused any other TLS change
        next.sslContext().ifPresent(listener::useSslContext);
        protectedRoutes.set(next.protect(routes));
        web = next;
        if (next != WebConfig.PLAIN) {
          LOG.info("web configuration reloaded: " + next.describe());
        }
      };
    };
  }

  private static HttpHandler blocking(Handler handler) {
    return new BlockingHandler(handler::handle);
  }

  /** A handler that may throw checked exceptions; {@link #guarded} turns failures into a 500. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpServerExchange exchange) throws Exception;
  }

  /**
   * A bug in a handler answers 500 without details and is logged; the server goes on. An error
   * that Undertow ends without a body (a handler on a worker thread that threw) gets one.
   */
  private static HttpHandler guarded(HttpHandler next) {
    return exchange -> {
      exchange.addDefaultResponseListener(Responses::explainBareError);
      try {
        next.handleRequest(exchange);
      } catch (Exception | LinkageError e) {
        LOG.log(Level.SEVERE, "request " + exchange.getRequestMethod() + " "
            + exchange.getRequestPath() + " failed", e);
        if (!exchange.isResponseStarted()) {
          Responses.error(exchange, 500, "internal error, see the exporter's log");
        }
      }
    };
  }

  public int port() {
    return listener.port();
  }

  @Override
  public void close() {
    listener.close();
  }
}
