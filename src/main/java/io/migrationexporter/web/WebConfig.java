package io.migrationexporter.web;

import io.migrationexporter.config.ConfigException;
import io.migrationexporter.config.ConfigProblem;
import io.migrationexporter.config.Problems;
import io.migrationexporter.config.ServerSettings;
import io.undertow.server.HttpHandler;
import io.undertow.util.HttpString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Sequence;

/**
 * The web configuration file, in the format of the Prometheus exporter-toolkit so that teams reuse
 * the files they have: {@code tls_server_config} (HTTPS, optional client certificates),
 * {@code basic_auth_users} (bcrypt hashes) and {@code http_server_config} (HTTP/2, response
 * headers). Read strictly: an unknown or unsupported key is an error naming file, line and key.
 */
public final class WebConfig {
  /** No file: plain HTTP, no authentication. */
  public static final WebConfig PLAIN = new WebConfig(Optional.empty(), Optional.empty(),
      Optional.empty(), Map.of(), true);

  /** The headers the toolkit allows, with the values it allows (null: any). */
  private static final Map<String, List<String>> HEADERS = new LinkedHashMap<>();

  static {
    HEADERS.put("Content-Security-Policy", null);
    HEADERS.put("X-Frame-Options", List.of("deny", "sameorigin"));
    HEADERS.put("X-Content-Type-Options", List.of("nosniff"));
    HEADERS.put("X-XSS-Protection", null);
    HEADERS.put("Strict-Transport-Security", null);
  }

  private final Optional<Path> file;
  private final Optional<TlsListener> tls;
  private final Optional<BasicAuth> basicAuth;
  private final Map<String, String> headers;
  private final boolean http2;

  private WebConfig(Optional<Path> file, Optional<TlsListener> tls, Optional<BasicAuth> basicAuth,
      Map<String, String> headers, boolean http2) {
    this.file = file;
    this.tls = tls;
    this.basicAuth = basicAuth;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.http2 = http2;
  }

  /** The file named on the command line when it names one, else by server.web-config-file. */
  public static Optional<Path> chosen(Path commandLine, ServerSettings server) {
    return commandLine != null ? Optional.of(commandLine) : server.webConfigFile();
  }

  /** Reads {@code file} when there is one; {@link #PLAIN} otherwise. */
  public static WebConfig load(Optional<Path> file) throws ConfigException {
    return file.isPresent() ? load(file.get()) : PLAIN;
  }

  /**
   * Reads and checks the whole file: certificates and keys are loaded and matched, hashes parsed.
   *
   * @throws ConfigException every problem found, one line each
   */
  public static WebConfig load(Path file) throws ConfigException {
    Path absolute = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(absolute) || !Files.isReadable(absolute)) {
      throw new ConfigException(new ConfigProblem(file.toString(), -1, null,
          "cannot read the web configuration file"));
    }
    Problems problems = new Problems();
    Optional<WebConfig> config = problems.attempt(() ->
        parse(absolute, YamlMap.parse(absolute, problems)));
    problems.throwIfAny();
    return config.orElseThrow();
  }

  /** What the sections yield; each section is parsed on its own so that all problems show. */
  private static final class Sections {
    Optional<TlsListener> tls = Optional.empty();
    Optional<BasicAuth> basicAuth = Optional.empty();
    Map<String, String> headers = Map.of();
    boolean http2 = false;
  }

  private static WebConfig parse(Path file, YamlMap root) {
    Problems problems = root.problems();
    root.unsupported("rate_limit", "put a reverse proxy in front to limit request rates");
    Sections sections = new Sections();
    if (root.has("tls_server_config")) {
      problems.attempt(() -> sections.tls = Optional.of(TlsListener.parse(
          root.optChild("tls_server_config").orElseThrow(), file.getParent())));
    } else if (root.written("tls_server_config")) {
      root.problem("tls_server_config", "is empty: give cert_file and key_file, or remove it"
          + " for plain HTTP");
    }
    problems.attempt(() -> root.optChild("basic_auth_users")
        .ifPresent(users -> sections.basicAuth = BasicAuth.parse(users)));
    problems.attempt(() -> root.optChild("http_server_config").ifPresent(server -> {
      // Off unless asked: Undertow bounds the frames it queues but not the rate of PING and
      // SETTINGS frames, which any client may send before authenticating (docs/security.md).
      sections.http2 = server.optBool("http2").orElse(false);
      server.optChild("headers").ifPresent(node -> sections.headers = headers(node));
      server.finish();
    }));
    root.finish();
    return new WebConfig(Optional.of(file), sections.tls, sections.basicAuth, sections.headers,
        sections.http2);
  }

  private static Map<String, String> headers(YamlMap node) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : node.names()) {
      node.problems().attempt(() -> {
        if (!HEADERS.containsKey(name)) {
          throw node.fail(name, "this header cannot be set; the headers are "
              + String.join(", ", HEADERS.keySet()));
        }
        String value = node.optString(name).orElse("");
        List<String> allowed = HEADERS.get(name);
        if (allowed != null && !value.isEmpty()
            && !allowed.contains(value.toLowerCase(Locale.ROOT))) {
          throw node.fail(name, "'" + value + "' is not one of " + String.join(", ", allowed));
        }
        if (!value.isEmpty()) {
          headers.put(name, value);
        }
      });
    }
    node.finish();
    return headers;
  }

  /** For tests of the package. */
  Optional<BasicAuth> basicAuth() {
    return basicAuth;
  }

  public boolean tls() {
    return tls.isPresent();
  }

  public String scheme() {
    return tls.isPresent() ? "https" : "http";
  }

  /** The TLS context of the HTTPS listener; empty for plain HTTP. */
  public Optional<SSLContext> sslContext() {
    return tls.map(TlsListener::context);
  }

  /**
   * The socket options the HTTPS listener fixes when it opens: client certificates, TLS versions
   * and suites; empty for plain HTTP.
   */
  public OptionMap tlsOptions() {
    if (tls.isEmpty()) {
      return OptionMap.EMPTY;
    }
    TlsListener listener = tls.get();
    OptionMap.Builder options = OptionMap.builder()
        .set(Options.SSL_CLIENT_AUTH_MODE, listener.clientAuth())
        .set(Options.SSL_ENABLED_PROTOCOLS, Sequence.of(listener.protocols()));
    if (!listener.cipherSuites().isEmpty()) {
      options.set(Options.SSL_ENABLED_CIPHER_SUITES, Sequence.of(listener.cipherSuites()));
    }
    return options.getMap();
  }

  /** Whether the HTTPS listener offers HTTP/2; never over plain HTTP. */
  public boolean http2() {
    return tls.isPresent() && http2;
  }

  /** The file, for a problem line; a placeholder for plain HTTP without a file. */
  public String fileName() {
    return file.map(Path::toString).orElse("<no web configuration file>");
  }

  /**
   * What in {@code next} differs from this configuration in a way a running listener cannot take:
   * TLS switched on or off, and the options the HTTPS listener fixes when it opens. Certificates,
   * keys, client CAs, users and headers can change.
   */
  public Optional<String> restartNeededFor(WebConfig next) {
    if (tls.isPresent() != next.tls.isPresent()) {
      return Optional.of(tls.isPresent() ? "tls_server_config is removed (HTTPS to plain HTTP)"
          : "tls_server_config is added (plain HTTP to HTTPS)");
    }
    if (tls.isEmpty()) {
      return Optional.empty();
    }
    TlsListener before = tls.get();
    TlsListener after = next.tls.get();
    if (before.clientAuth() != after.clientAuth()) {
      return Optional.of("tls_server_config.client_auth_type changed");
    }
    if (!before.protocols().equals(after.protocols())) {
      return Optional.of("tls_server_config.min_version or max_version changed");
    }
    if (!before.cipherSuites().equals(after.cipherSuites())) {
      return Optional.of("tls_server_config.cipher_suites changed");
    }
    if (http2 != next.http2) {
      return Optional.of("http_server_config.http2 changed");
    }
    return Optional.empty();
  }

  /**
   * Wraps every route: basic auth first when users are configured, and the configured headers on
   * every answer, set last so that they win over a handler's own.
   */
  public HttpHandler protect(HttpHandler routes) {
    HttpHandler inner = basicAuth.<HttpHandler>map(auth -> new BasicAuthHandler(auth, routes))
        .orElse(routes);
    if (headers.isEmpty()) {
      return inner;
    }
    return exchange -> {
      exchange.addResponseCommitListener(committing -> headers.forEach((name, value) ->
          committing.getResponseHeaders().put(new HttpString(name), value)));
      inner.handleRequest(exchange);
    };
  }

  /** One line for check-config and the start log; never a key, hash or password. */
  public String describe() {
    if (file.isEmpty()) {
      return "plain HTTP, no authentication (no web configuration file)";
    }
    StringBuilder out = new StringBuilder("web configuration ").append(file.get()).append(": ");
    out.append(tls.map(listener -> listener.describe() + (http2 ? ", HTTP/2 allowed" : ""))
        .orElse("plain HTTP"));
    out.append("; ").append(basicAuth.map(auth -> "basic auth for " + auth.users().size()
        + (auth.users().size() == 1 ? " user (" : " users (") + String.join(", ", auth.users())
        + ")").orElse("no authentication"));
    if (!headers.isEmpty()) {
      out.append("; headers ").append(String.join(", ", headers.keySet()));
    }
    return out.toString();
  }
}
