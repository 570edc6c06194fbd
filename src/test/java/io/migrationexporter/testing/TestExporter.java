package io.migrationexporter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationexporter.Exporter;
import io.migrationexporter.app.Modules;
import io.migrationexporter.config.ConfigException;
import io.migrationexporter.config.ConfigLoader;
import io.migrationexporter.config.Plan;
import io.migrationexporter.web.WebConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * A whole exporter for one test: its HOCON configuration written into the test's directory
 * (so the phase state file lands there too), listening on a free port of 127.0.0.1, with an HTTP
 * client to talk to it.
 */
public final class TestExporter implements AutoCloseable {
  public static final String CONFIG_NAME = "exporter.conf";
  /** Appended, so a test's own line numbers stay as written and no test can listen elsewhere. */
  private static final String LOOPBACK = "\nserver.listen = \"127.0.0.1:0\"\n";
  private static final String REQUEST_BUDGET = "server.request-budget = 20s\n";
  /** One TCP check on a closed port, for a test that needs the bundled gate to read something. */
  public static final String ONE_CHECK = """
      checks.database-port { title = "Database port", tcp { address = "127.0.0.1:1" } }
      """;
  public static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path configFile;
  private final Exporter exporter;
  private final String scheme;
  private final HttpClient client = client(null, HttpClient.Version.HTTP_1_1);

  private TestExporter(Path configFile, Exporter exporter, String scheme) {
    this.configFile = configFile;
    this.exporter = exporter;
    this.scheme = scheme;
  }

  public static TestExporter start(Path dir, String hocon) throws Exception {
    return start(dir, hocon, Clock.systemUTC());
  }

  public static TestExporter start(Path dir, String hocon, Clock clock) throws Exception {
    Path file = writeConfig(dir, hocon);
    return new TestExporter(file, Exporter.start(file, clock), "http");
  }

  /**
   * Starts with TLS ({@code hocon} names a {@code server.web-config-file}): {@link #url} and
   * {@link #request} say https, and requests go through {@link #send(HttpClient,
   * HttpRequest.Builder)} with a client that trusts the test's certificates.
   */
  public static TestExporter startTls(Path dir, String hocon) throws Exception {
    Path file = writeConfig(dir, hocon);
    return new TestExporter(file, Exporter.start(file, Clock.systemUTC()), "https");
  }

  /**
   * Starts from the plan of {@code hocon} as {@code adjust} changes it, for sources a test
   * scripts in code rather than declares; plain HTTP.
   */
  public static TestExporter start(Path dir, String hocon, UnaryOperator<Plan> adjust)
      throws Exception {
    Path file = writeConfig(dir, hocon);
    ConfigLoader loader = Modules.loader();
    Plan plan = adjust.apply(loader.load(file));
    return new TestExporter(file, Exporter.start(plan, WebConfig.PLAIN, loader, Clock.systemUTC()),
        "http");
  }

  /** Starts from {@code hocon} as {@code loader} reads it, for kinds a test adds; plain HTTP. */
  public static TestExporter start(Path dir, String hocon, ConfigLoader loader) throws Exception {
    Path file = writeConfig(dir, hocon);
    return new TestExporter(file,
        Exporter.start(loader.load(file), WebConfig.PLAIN, loader, Clock.systemUTC()), "http");
  }

  /**
   * Writes {@code hocon} as the configuration file of {@code dir}, listening on loopback. Unless
   * {@code hocon} sets its own, a request waits for the refreshes in flight up to
   * {@link #REQUEST_BUDGET}: what a test reads after a start or a change is then the refreshed
   * data, however loaded the machine. The shipped one-second budget is the subject of
   * HungSourceBudgetTest and the soak, which set it.
   */
  public static Path writeConfig(Path dir, String hocon) throws IOException {
    Path file = dir.resolve(CONFIG_NAME);
    String budget = hocon.contains("request-budget") ? "" : REQUEST_BUDGET;
    Files.writeString(file, hocon + LOOPBACK + budget, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * The message with which loading {@code hocon}, written as in {@link #writeConfig}, is refused;
   * fails the test when it loads.
   */
  public static String refusal(Path dir, String hocon) throws IOException {
    Path file = writeConfig(dir, hocon);
    try {
      Modules.loader().load(file);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("the configuration loaded");
  }

  /** Replaces the configuration file, for a reload. */
  public void rewrite(String hocon) throws IOException {
    writeConfig(configFile.getParent(), hocon);
  }

  public Exporter exporter() {
    return exporter;
  }

  public Path configFile() {
    return configFile;
  }

  public int port() {
    return exporter.port();
  }

  public String url(String path) {
    return scheme + "://127.0.0.1:" + port() + path;
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(url(path))).timeout(TIMEOUT);
  }

  /** A client of {@code version} with {@code tls} (null: plain HTTP only). */
  public static HttpClient client(SSLContext tls, HttpClient.Version version) {
    HttpClient.Builder builder = HttpClient.newBuilder().version(version).connectTimeout(TIMEOUT);
    if (tls != null) {
      builder.sslContext(tls);
    }
    return builder.build();
  }

  /** Sends with {@code client}, letting its failures (a refused handshake) reach the test. */
  public static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The {@code Authorization} value of HTTP basic authentication. */
  public static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  public <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
    try {
      return client.send(request.build(), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    return send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** GET {@code path} with {@code headers} given as name, value pairs. */
  public HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder request = request(path).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  public HttpResponse<String> post(String path) {
    return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** PUT {@code body} (JSON) to {@code path}, with {@code headers} as name, value pairs. */
  public HttpResponse<String> put(String path, String body, String... headers) {
    HttpRequest.Builder request = request(path)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  /** Sets the phase through {@code PUT /api/phase}, as an operator's script would. */
  public void putPhase(String phase, String adminToken) {
    HttpResponse<String> response = put("/api/phase", "{\"phase\": \"" + phase + "\"}",
        "Authorization", "Bearer " + adminToken);
    if (response.statusCode() != 200) {
      throw new AssertionError("PUT /api/phase " + phase + ": " + response.statusCode() + " "
          + response.body());
    }
  }

  /** Enters {@code phase} in the exporter itself, as the test. */
  public void enterPhase(String phase) throws IOException {
    exporter.runtime().enterPhase(phase, "test");
  }

  /** GET /metrics in the text format: the body, whatever the status. */
  public String metrics() {
    return get("/metrics").body();
  }

  /** Scrapes once (refreshes happen on demand) and returns {@code value}, for awaits. */
  public <T> T scraped(T value) {
    metrics();
    return value;
  }

  /** GET /metrics in the protobuf format, parsed. */
  public Scrape scrape(String... headers) {
    HttpRequest.Builder request = request("/metrics").GET().header("Accept", Scrape.PROTOBUF);
    if (headers.length > 0) {
      request.headers(headers);
    }
    HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new AssertionError("GET /metrics answered " + response.statusCode());
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (!type.startsWith("application/vnd.google.protobuf")) {
      throw new AssertionError("GET /metrics asked for protobuf, got " + type);
    }
    return Scrape.parse(response.body());
  }

  /** Everything a user can read: /metrics, /api/status, /api/events and the board page. */
  public String served() {
    return metrics() + get("/api/status").body() + get("/api/events").body() + get("/").body();
  }

  /** GET {@code path} with {@code headers}, which must answer JSON with {@code status}. */
  public JsonNode json(String path, int status, String... headers) {
    HttpResponse<String> response = get(path, headers);
    if (response.statusCode() != status) {
      throw new AssertionError("GET " + path + " answered " + response.statusCode()
          + " instead of " + status + ": " + response.body());
    }
    return parse(response.body());
  }

  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  /** The entry of /api/status for check {@code name}. */
  public JsonNode checkStatus(String name, String... headers) {
    return entry("checks", "name", name, headers);
  }

  /** The entry of /api/status for source {@code id}. */
  public JsonNode source(String id) {
    return entry("sources", "id", id);
  }

  /** The entry of /api/status for migration {@code name}. */
  public JsonNode migration(String name) {
    return entry("migrations", "name", name);
  }

  private JsonNode entry(String list, String key, String value, String... headers) {
    for (JsonNode entry : json("/api/status", 200, headers).path(list)) {
      if (entry.path(key).asText().equals(value)) {
        return entry;
      }
    }
    throw new AssertionError("/api/status has no " + list + " entry " + value);
  }

  /** Waits until check {@code name} is in {@code state} (ok, failing, unknown). */
  public JsonNode awaitCheck(String name, String state, Duration timeout) {
    return Await.until("check " + name + " " + state, () -> checkStatus(name),
        check -> check.path("state").asText().equals(state), timeout);
  }

  /** Waits until source {@code id} refreshed and is up (or down, with {@code up} false). */
  public JsonNode awaitSource(String id, boolean up, Duration timeout) {
    return Await.until("source " + id + (up ? " up" : " down"), () -> source(id),
        source -> source.path("up").asBoolean() == up && source.path("refreshes").asLong() > 0,
        timeout);
  }

  @Override
  public void close() {
    exporter.close();
  }
}
