package io.migrationexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.Exporter;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.Ports;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics bodies much larger than one socket write arrive whole, plain and gzipped. */
class LargeExpositionTest {
  private static final int CHECKS = 400;

  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .build();

  @Test
  void aLargeBodyArrivesWholeWithItsLength(@TempDir Path dir) throws Exception {
    try (Exporter exporter = Exporter.start(config(dir, Ports.closed()), Clock.systemUTC())) {
      // a scrape answers within its budget, before the first refresh if it has to: the body is
      // at its full size once every check has been read
      Await.until("every check read", () -> new String(scrape(exporter, false).body(),
          StandardCharsets.UTF_8).lines().noneMatch(line -> line.startsWith("migration_check_status{")
              && line.matches(".* -1(\\.0)?$")), Duration.ofSeconds(60));
      HttpResponse<byte[]> plain = scrape(exporter, false);
      HttpResponse<byte[]> again = scrape(exporter, false);
      HttpResponse<byte[]> gzipped = scrape(exporter, true);

      assertThat(plain.statusCode()).isEqualTo(200);
      assertThat(plain.body().length).isGreaterThan(4 * 64 * 1024);
      assertThat(plain.headers().firstValueAsLong("Content-Length"))
          .hasValue(plain.body().length);
      String text = new String(plain.body(), StandardCharsets.UTF_8);
      assertThat(text).startsWith("# HELP ").endsWith("\n");
      assertThat(text.lines().filter(line -> line.startsWith("migration_check_status{")))
          .hasSize(CHECKS);
      assertThat(again.body()).isEqualTo(plain.body());

      assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
      assertThat(gzipped.headers().firstValueAsLong("Content-Length"))
          .hasValue(gzipped.body().length);
      assertThat(gunzip(gzipped.body())).isEqualTo(plain.body());
    }
  }

  private HttpResponse<byte[]> scrape(Exporter exporter, boolean gzip) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + exporter.port() + "/metrics"))
        .timeout(Duration.ofSeconds(30));
    if (gzip) {
      request.header("Accept-Encoding", "gzip");
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Many checks on a port where nothing listens: each is read at once and fails, fast. */
  private static Path config(Path dir, int port) throws IOException {
    StringBuilder hocon = new StringBuilder()
        .append("server.listen = \"127.0.0.1:0\"\n")
        .append("defaults.interval = 1h\n")
        .append("checks {\n");
    for (int i = 1; i <= CHECKS; i++) {
      hocon.append("  c-").append(i).append(" { http { url = \"http://127.0.0.1:").append(port)
          .append("/app/").append(i).append("\" } }\n");
    }
    hocon.append("}\n");
    Path file = dir.resolve("exporter.conf");
    Files.writeString(file, hocon, StandardCharsets.UTF_8);
    return file;
  }


  private static byte[] gunzip(byte[] body) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }
}
