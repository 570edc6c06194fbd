package io.migrationexporter.source.freshping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.demo.fakes.Fault;
import io.migrationexporter.demo.fakes.FakeFreshping;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FreshpingSourceTest {
  static final String KEY = "fp-test-api-key-000001";
  static final String SOURCE = "freshping:pix";
  static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir
  Path dir;
  FakeFreshping fake;
  TestExporter exporter;

  @BeforeEach
  void fake() {
    fake = new FakeFreshping(KEY, "pix");
    fake.start();
    fake.check(101, "Pix App", "AV").check(102, "Pix Orga", "NR").check(103, "Pix Certif", "AV")
        .check(104, "Pix Admin", "AV").check(105, "Pix API", "SCE");
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.close();
    }
    fake.close();
  }

  void startExporter(String interval) throws Exception {
    exporter = TestExporter.start(dir, """
        sources.freshping.pix {
          api-key = "%s"
          subdomain = pix
          url = "%s"
          interval = %s
          timeout = 1s
        }
        checks {
          monitoring { title = "Freshping", freshping { account = pix, all = true } }
          app-monitoring { freshping { account = pix, check = "Pix App" } }
          orga-monitoring { freshping { account = pix, check-id = 102 } }
          gone-monitoring { freshping { account = pix, check = "Pix Gone" } }
        }
        """.formatted(KEY, fake.apiUrl(), interval));
  }

  @Test
  void checksArePausedDuringTheMaintenanceAndMonitoringAgainAtReopening() throws Exception {
    fake.pageSize(2);
    startExporter("200ms");
    assertThat(exporter.awaitCheck("monitoring", "ok", WAIT).get("value").asText())
        .isEqualTo("All 5 checks monitoring");
    assertThat(exporter.awaitCheck("orga-monitoring", "ok", WAIT).get("value").asText())
        .isEqualTo("Monitoring (not responding)");
    assertThat(exporter.checkStatus("gone-monitoring").get("state").asText())
        .as("an unknown check is failing with its reason, not unknown").isEqualTo("failing");
    assertThat(exporter.checkStatus("gone-monitoring").get("value").asText())
        .isEqualTo("No check named 'Pix Gone' in Freshping account pix");

    exporter.enterPhase("maintenance");
    fake.status(101, "PS");
    assertThat(exporter.awaitCheck("app-monitoring", "ok", WAIT).get("value").asText()).isEqualTo("Paused");
    assertThat(exporter.awaitCheck("monitoring", "failing", WAIT).get("value").asText())
        .startsWith("1 of 5 checks paused; still monitoring: Pix Orga, Pix Certif");
    fake.pauseAll(true);
    assertThat(exporter.awaitCheck("monitoring", "ok", WAIT).get("value").asText())
        .isEqualTo("All 5 checks paused");
    assertThat(exporter.metrics())
        .contains("migration_freshping_check_paused{account=\"pix\",check=\"Pix App\",id=\"101\"} 1")
        .contains("migration_freshping_checks{account=\"pix\"} 5");

    exporter.enterPhase("reopening");
    exporter.awaitCheck("monitoring", "failing", WAIT);
    fake.pauseAll(false);
    exporter.awaitCheck("monitoring", "ok", WAIT);
    exporter.awaitCheck("app-monitoring", "ok", WAIT);
  }

  @Test
  void sixteenScrapersCauseOneListCallPerInterval() throws Exception {
    Duration interval = Duration.ofMillis(500);
    startExporter("500ms");
    exporter.awaitSource(SOURCE, true, WAIT);
    fake.resetCounters();
    long start = System.nanoTime();
    Duration run = Duration.ofSeconds(3);
    ExecutorService scrapers = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        done.add(scrapers.submit(() -> {
          int scrapes = 0;
          while (System.nanoTime() - start < run.toNanos()) {
            assertThat(exporter.metrics()).contains("migration_freshping_checks");
            scrapes++;
          }
          return scrapes;
        }));
      }
      int scrapes = 0;
      for (Future<Integer> future : done) {
        scrapes += future.get();
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      long allowed = elapsed.toMillis() / interval.toMillis() + 1;
      int calls = fake.requests("GET /api/v1/checks/");
      assertThat(scrapes).as("the scrapers did scrape").isGreaterThan(100);
      assertThat(calls).as(scrapes + " scrapes in " + elapsed).isLessThanOrEqualTo((int) allowed)
          .isGreaterThanOrEqualTo(3);
    } finally {
      scrapers.shutdownNow();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "UNAUTHORIZED, auth, Freshping refused the credentials (HTTP 401)",
      "FORBIDDEN, auth, Freshping refused the credentials (HTTP 403)",
      "NOT_FOUND, not-found, Freshping answered HTTP 404: not found",
      "RATE_LIMITED, rate-limited, 'Freshping rate limit reached (HTTP 429), next try in 1s (Retry-After)'",
      "RATE_LIMITED_SILENTLY, rate-limited, 'Freshping rate limit reached (HTTP 429), next try in 600ms (no Retry-After: backing off)'",
      "SERVER_ERROR, server, Freshping failed (HTTP 500)",
      "HANG, timeout, Freshping did not answer within 1s",
      "SLOW, timeout, Freshping did not answer within 1s",
      "TRUNCATED_JSON, bad-payload, Freshping answered with invalid or unexpected JSON (truncated)",
      "HTML, bad-payload, Freshping answered with an HTML page instead of JSON (HTTP 200)",
      "HUGE_BODY, bad-payload, 'Freshping answered with more than 4MiB, the body limit'",
  })
  void everyFaultIsClassifiedAndTheSourceRecoversOnceItClears(Fault fault, String kind,
      String words) throws Exception {
    fake.slowDelay(Duration.ofSeconds(3));
    startExporter("300ms");
    exporter.awaitCheck("monitoring", "ok", WAIT);
    fake.fault(fault);
    JsonNode source = exporter.awaitSource(SOURCE, false, WAIT);
    assertThat(source.get("last_error_kind").asText()).isEqualTo(kind);
    assertThat(source.get("last_error").asText()).isEqualTo(words);
    assertThat(exporter.checkStatus("monitoring").get("state").asText()).isEqualTo("unknown");
    assertThat(exporter.metrics()).contains("migration_source_up{source=\"freshping:pix\"} 0");

    fake.clearFaults();
    long cleared = System.nanoTime();
    exporter.awaitSource(SOURCE, true, WAIT);
    assertThat(Duration.ofNanos(System.nanoTime() - cleared))
        .isLessThan(Duration.ofMillis(300 + 1000 + 1500));
    exporter.awaitCheck("monitoring", "ok", WAIT);
  }
}
