package io.migrationexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.MutableClock;
import io.migrationexporter.testing.Ports;
import io.migrationexporter.testing.Scrape;
import io.migrationexporter.testing.TestExporter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP face: formats and encodings of /metrics, health, unknown paths and methods. */
class HttpEndpointsTest {
  private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";

  @TempDir
  static Path dir;

  private static TestExporter exporter;

  @BeforeAll
  static void start() throws Exception {
    // A clock that does not move: no refresh falls due between two requests that compare bodies.
    exporter = TestExporter.start(dir, """
        checks.db.tcp.address = "127.0.0.1:%d"
        """.formatted(Ports.closed()), MutableClock.startingNow());
    Await.until("the first collection", () -> exporter.get("/-/ready").statusCode() == 200,
        Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    exporter.close();
  }

  private static HttpResponse<byte[]> metrics(String... headers) {
    HttpRequest.Builder request = exporter.request("/metrics").GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return exporter.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String type(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  private static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Test
  void prometheusTextIsTheDefault() {
    HttpResponse<byte[]> response = metrics();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(type(response)).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(text(response.body()))
        .contains("# TYPE migration_check_status gauge")
        .contains("migration_check_status{app=\"\",check=\"db\",group=\"maintenance\",kind=\"tcp\"} 0")
        .contains("migration_source_refreshes_total{source=\"tcp:db\"} 1");
  }

  @Test
  void openMetricsWhenAsked() {
    HttpResponse<byte[]> response = metrics("Accept", OPENMETRICS);

    assertThat(type(response)).isEqualTo(OPENMETRICS + "; charset=utf-8");
    assertThat(text(response.body())).contains("# TYPE migration_source_refreshes counter")
        .endsWith("# EOF\n");
  }

  @Test
  void protobufWhenAskedParsesWithTheClientsOwnClasses() {
    Scrape scrape = exporter.scrape();

    assertThat(scrape.get("migration_check_status", "check", "db")).isEqualTo(0);
    assertThat(scrape.get("migration_phase", "phase", "preparation")).isEqualTo(1);
    assertThat(scrape.get("migration_source_up", "source", "tcp:db")).isEqualTo(1);
    assertThat(scrape.matching("migration_exporter_build_info")).hasSize(1);
  }

  @Test
  void gzipWhenAcceptedAndTheSameContentUnzipped() throws IOException {
    HttpResponse<byte[]> plain = metrics();
    HttpResponse<byte[]> zipped = metrics("Accept-Encoding", "gzip");
    HttpResponse<byte[]> refused = metrics("Accept-Encoding", "gzip;q=0, identity");

    assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
    assertThat(zipped.headers().firstValue("Vary")).hasValueSatisfying(
        vary -> assertThat(vary).contains("Accept-Encoding"));
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
      assertThat(text(in.readAllBytes())).isEqualTo(text(plain.body()));
    }
    assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
  }

  @Test
  void healthAndReadiness() {
    assertThat(exporter.get("/-/healthy").statusCode()).isEqualTo(200);
    assertThat(exporter.get("/-/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void landingPageLinksTheEndpoints() {
    HttpResponse<String> page = exporter.get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(type(page)).startsWith("text/html");
    assertThat(page.body()).contains("href=\"/metrics\"").contains("href=\"/api/status\"")
        .contains("href=\"/-/ready\"");
  }

  @Test
  void unknownPathIs404() {
    HttpResponse<String> response = exporter.get("/nowhere");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(TestExporter.parse(response.body()).path("error").asText()).startsWith("not found");
  }

  @Test
  void wrongMethodIs405() {
    HttpResponse<String> postMetrics = exporter.post("/metrics");
    HttpResponse<String> deletePhase = exporter.send(exporter.request("/api/phase").DELETE());
    HttpResponse<String> getReload = exporter.get("/-/reload");

    assertThat(postMetrics.statusCode()).isEqualTo(405);
    assertThat(deletePhase.statusCode()).isEqualTo(405);
    assertThat(getReload.statusCode()).isEqualTo(405);
  }

  @Test
  void eventsJournalRecordsTheStartingPhase() {
    assertThat(exporter.json("/api/events", 200).path("events").findValuesAsText("message"))
        .contains("starting in phase preparation");
  }
}
