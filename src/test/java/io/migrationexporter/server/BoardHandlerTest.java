package io.migrationexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationexporter.testing.TestExporter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the exporter sends for the board's files: types, caching, and the policy that locks it down. */
class BoardHandlerTest {
  private TestExporter exporter;

  @TempDir
  Path dir;

  @BeforeEach
  void start() throws Exception {
    exporter = TestExporter.start(dir, """
        apps { web { title = "Web <front>" } }
        checks { front { app = web, http { url = "http://127.0.0.1:9/" } } }
        """);
  }

  @AfterEach
  void stop() {
    exporter.close();
  }

  @Test
  void thePageLoadsOnlyItsOwnFilesAndCannotBeFramed() throws Exception {
    HttpResponse<String> page = exporter.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(policy).contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    // no inline script, no asset from elsewhere; the links to the machine-readable endpoints stay
    assertThat(page.body()).doesNotContainPattern("<script>|<script [^>]*>[^<]+</script>")
        .doesNotContainPattern("(src|href)=\"(https?:)?//")
        .contains("<script src=\"/board/board.js\" defer></script>", "href=\"/metrics\"",
            "href=\"/api/status\"");
  }

  @Test
  void assetsHaveTheirTypesAndAreRevalidatedWithTheirTag() throws Exception {
    String[][] assets = {{"/board/board.js", "text/javascript; charset=utf-8"},
        {"/board/board.css", "text/css; charset=utf-8"}, {"/board/favicon.svg", "image/svg+xml"},
        {"/", "text/html; charset=utf-8"}};
    for (String[] asset : assets) {
      HttpResponse<String> first = exporter.get(asset[0]);
      assertThat(first.statusCode()).as(asset[0]).isEqualTo(200);
      assertThat(first.headers().firstValue("Content-Type")).as(asset[0]).hasValue(asset[1]);
      assertThat(first.headers().firstValue("Cache-Control")).as(asset[0]).hasValue("no-cache");
      String tag = first.headers().firstValue("ETag").orElseThrow();
      HttpResponse<String> again = exporter.get(asset[0], "If-None-Match", tag);
      assertThat(again.statusCode()).as(asset[0] + " revalidated").isEqualTo(304);
      assertThat(again.body()).isEmpty();
      assertThat(exporter.get(asset[0], "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theStatusGivesThePageTheServerClockAndTheAppTitles() throws Exception {
    Instant before = Instant.now();
    JsonNode status = new ObjectMapper().readTree(exporter.get("/api/status").body());
    Instant now = Instant.parse(status.path("now").asText());
    assertThat(now).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
    assertThat(status.path("apps").get(0).path("name").asText()).isEqualTo("web");
    assertThat(status.path("apps").get(0).path("title").asText()).isEqualTo("Web <front>");
  }

  @Test
  void onlyTheBoardsOwnFilesAreServed() throws Exception {
    for (String path : new String[] {"/board/index.html", "/board/Board.class", "/board/", "/board/board.js.map"}) {
      assertThat(exporter.get(path).statusCode()).as(path).isEqualTo(404);
    }
  }
}
