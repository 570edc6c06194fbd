package io.migrationexporter.web;

import io.migrationexporter.Exporter;
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
import javax.net.ssl.SSLContext;

/**
 * An exporter for one test of the web layer: its configuration in the test's directory, listening
 * on a free port of 127.0.0.1, with one TCP check so that the bundled gate has something to read.
 */
final class TestExporter implements AutoCloseable {
  static final String ONE_CHECK = """
      checks.database-port { title = "Database port", tcp { address = "127.0.0.1:1" } }
      """;
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final Path config;
  private final Exporter exporter;
  private final String scheme;

  private TestExporter(Path config, Exporter exporter, String scheme) {
    this.config = config;
    this.exporter = exporter;
    this.scheme = scheme;
  }

  /** Starts with {@code hocon} plus {@link #ONE_CHECK}; "https" when the web config has TLS. */
  static TestExporter start(Path dir, String hocon, String scheme) throws Exception {
    Path config = dir.resolve("exporter.conf");
    Files.writeString(config, hocon + "\n" + ONE_CHECK + "\nserver.listen = \"127.0.0.1:0\"\n",
        StandardCharsets.UTF_8);
    return new TestExporter(config, Exporter.start(config, Clock.systemUTC()), scheme);
  }

  static TestExporter start(Path dir, String hocon) throws Exception {
    return start(dir, hocon, "http");
  }

  Path config() {
    return config;
  }

  Exporter exporter() {
    return exporter;
  }

  int port() {
    return exporter.port();
  }

  URI uri(String path) {
    return URI.create(scheme + "://127.0.0.1:" + port() + path);
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
  }

  static HttpClient client(SSLContext tls, HttpClient.Version version) {
    HttpClient.Builder builder = HttpClient.newBuilder().version(version).connectTimeout(TIMEOUT);
    if (tls != null) {
      builder.sslContext(tls);
    }
    return builder.build();
  }

  static HttpClient plainClient() {
    return client(null, HttpClient.Version.HTTP_1_1);
  }

  static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request)
      throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    exporter.close();
  }
}
