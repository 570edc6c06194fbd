package io.migrationexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.Exporter;
import io.migrationexporter.metrics.Exposition;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.Ports;
import io.migrationexporter.testing.TestExporter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new board is serialized ahead, off the request threads, in the formats scrapers asked for, and
 * an I/O thread never serializes. Renderings are counted from the exposition's log lines, one per
 * serialization, which name the thread.
 */
class RenderAheadTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0";

  private final Logger expositionLog = Logger.getLogger(Exposition.class.getName());
  private final List<String> renderings = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getMessage().startsWith("rendered ")) {
        renderings.add(record.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Level previousLevel;

  @BeforeEach
  void captureRenderings() {
    previousLevel = expositionLog.getLevel();
    expositionLog.setLevel(Level.FINE);
    capture.setLevel(Level.ALL);
    expositionLog.addHandler(capture);
  }

  @AfterEach
  void restoreLogging() {
    expositionLog.removeHandler(capture);
    expositionLog.setLevel(previousLevel);
  }

  @Test
  void aScrapeAfterANewBoardFindsItsFormatsRenderedAhead(@TempDir Path dir) throws Exception {
    try (TestExporter test = TestExporter.start(dir, config(Ports.closed()))) {
      Exporter exporter = test.exporter();
      Await.until("the first collection", exporter.runtime()::ready, WAIT);

      // A format nobody asked for yet: rendered for this scrape, on a worker thread.
      String plain = scrape(test, null);
      assertThat(plain).contains("migration_phase{phase=\"preparation\"} 1");
      assertThat(renderings).hasSize(1);
      String first = renderings.get(0);
      assertThat(first).contains("text/plain").contains("on thread XNIO-").doesNotContain("I/O");

      // A new board: rendered ahead in the format asked, so the next scrape renders nothing.
      exporter.runtime().enterPhase("maintenance", "test");
      Await.until("the plain rendering of the maintenance board", () -> renderings.size() == 2,
          WAIT);
      assertThat(renderings.get(1)).contains("text/plain").contains("on thread board-evaluation");
      assertThat(scrape(test, null)).contains("migration_phase{phase=\"maintenance\"} 1");
      assertThat(scrape(test, null)).contains("migration_phase{phase=\"maintenance\"} 1");
      assertThat(renderings).hasSize(2);

      // What Prometheus asks (OpenMetrics, gzip) is new: rendered once, off the I/O thread.
      scrape(test, OPENMETRICS);
      assertThat(renderings).hasSize(4);
      scrape(test, OPENMETRICS);
      assertThat(renderings).hasSize(4);

      // The next board is rendered ahead in both formats asked: plain, OpenMetrics and its gzip.
      exporter.runtime().enterPhase("migration", "test");
      Await.until("three renderings of the migration board", () -> renderings.size() == 7, WAIT);
      assertThat(scrape(test, OPENMETRICS)).contains("migration_phase{phase=\"migration\"} 1");
      assertThat(scrape(test, null)).contains("migration_phase{phase=\"migration\"} 1");
      assertThat(renderings).hasSize(7);
      assertThat(renderings.subList(4, 7)).allMatch(line -> line.contains("board-evaluation"));
      assertThat(renderings).noneMatch(line -> line.contains("I/O"));
    }
  }

  /** The body as text, gunzipped when the request asked for OpenMetrics with gzip. */
  private static String scrape(TestExporter test, String accept) throws IOException {
    HttpRequest.Builder request = test.request("/metrics");
    if (accept != null) {
      request.header("Accept", accept).header("Accept-Encoding", "gzip");
    }
    HttpResponse<byte[]> response = test.send(request, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    byte[] body = response.body();
    if (accept != null) {
      assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
      body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Two checks on a port where nothing listens, read once: no refresh falls due later. */
  private static String config(int port) {
    return "defaults.interval = 1h\n"
        + "checks {\n"
        + "  front { http { url = \"http://127.0.0.1:" + port + "/front\" } }\n"
        + "  back { http { url = \"http://127.0.0.1:" + port + "/back\" } }\n"
        + "}\n";
  }
}
