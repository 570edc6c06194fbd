package io.migrationexporter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationexporter.Exporter;
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

/**
 * A whole exporter for one test: its HOCON configuration written into the test's directory
 * (so the phase state file lands there too), listening on a free port of 127.0.0.1, with an HTTP
 * client to talk to it.
 */
public final class TestExporter implements AutoCloseable {
  public static final String CONFIG_NAME = "exporter.conf";
  /** Appended, so a test's own line numbers stay as written and no test can listen elsewhere. */
  private static final String LOOPBACK = "\nserver.listen = \"127.0.0.1:0\"\n";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path configFile;
  private final Exporter exporter;
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(REQUEST_TIMEOUT)
      .build();

  private TestExporter(Path configFile, Exporter exporter) {
    this.configFile = configFile;
    this.exporter = exporter;
  }

  public static TestExporter start(Path dir, String hocon) throws Exception {
    return start(dir, hocon, Clock.systemUTC());
  }

  public static TestExporter start(Path dir, String hocon, Clock clock) throws Exception {
    Path file = writeConfig(dir, hocon);
    return new TestExporter(file, Exporter.start(file, clock));
  }

  /** Writes {@code hocon} as the configuration file of {@code dir}, listening on loopback. */
  public static Path writeConfig(Path dir, String hocon) throws IOException {
    Path file = dir.resolve(CONFIG_NAME);
    Files.writeString(file, hocon + LOOPBACK, StandardCharsets.UTF_8);
    return file;
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
    return "http://127.0.0.1:" + port() + path;
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(url(path))).timeout(REQUEST_TIMEOUT);
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
    for (JsonNode check : json("/api/status", 200, headers).path("checks")) {
      if (check.path("name").asText().equals(name)) {
        return check;
      }
    }
    throw new AssertionError("/api/status has no check " + name);
  }

  @Override
  public void close() {
    exporter.close();
  }
}
