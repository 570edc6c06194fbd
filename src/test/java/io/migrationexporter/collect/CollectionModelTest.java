package io.migrationexporter.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.LoopbackTarget;
import io.migrationexporter.testing.LoopbackTarget.Answer;
import io.migrationexporter.testing.MutableClock;
import io.migrationexporter.testing.Scrape;
import io.migrationexporter.testing.TestExporter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collection model through a running exporter: refreshes on demand, single flight, bounded
 * by the scrape deadline, last good value kept with its age, never ok without fresh data.
 */
class CollectionModelTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds";

  @TempDir
  Path dir;

  private LoopbackTarget target;
  private TestExporter exporter;
  private final MutableClock clock = MutableClock.startingNow();

  @BeforeEach
  void startTarget() throws Exception {
    target = LoopbackTarget.start();
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.close();
    }
    target.close();
  }

  /**
   * Check {@code front} on the target's /front, read every 10s, stale after 39s unless
   * {@code extra} (the third line) changes it; reloads over HTTP allowed.
   */
  private String front(String extra) {
    return """
        checks.front.http {
          url = "%s"
          %s
        }
        server.enable-lifecycle = true
        """.formatted(target.url("/front"), extra);
  }

  private static double frontStatus(Scrape scrape) {
    return scrape.get("migration_check_status", "check", "front");
  }

  @Test
  void checkIsUnknownBeforeItsFirstPollAndTheExporterNotReady() throws Exception {
    target.answer("/front", Answer.status(200).hanging());
    exporter = TestExporter.start(dir, front(""));

    Scrape scrape = exporter.scrape(TIMEOUT_HEADER, "1");
    HttpResponse<String> ready = exporter.get("/-/ready");

    assertThat(frontStatus(scrape)).isEqualTo(-1);
    assertThat(scrape.get("migration_check_observed", "check", "front", "observed", "unknown"))
        .isEqualTo(1);
    assertThat(scrape.matching("migration_check_observed", "check", "front")).hasSize(1);
    assertThat(scrape.value("migration_http_status_code", "check", "front")).isEmpty();
    JsonNode check = exporter.checkStatus("front", TIMEOUT_HEADER, "1");
    assertThat(check.path("state").asText()).isEqualTo("unknown");
    assertThat(check.path("reason").asText()).isEqualTo("not yet polled");
    assertThat(ready.statusCode()).isEqualTo(503);

    target.release("/front");
    Await.until("the exporter to be ready", () -> exporter.get("/-/ready").statusCode() == 200, WAIT);
    assertThat(frontStatus(exporter.scrape())).isEqualTo(1);
  }

  @Test
  void scrapeAnswersBeforeItsDeadlineWhenATargetHangs() throws Exception {
    target.answer("/front", Answer.status(200).hanging());
    exporter = TestExporter.start(dir, front("timeout = 30s"));

    long start = System.nanoTime();
    Scrape scrape = exporter.scrape(TIMEOUT_HEADER, "2");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isLessThan(Duration.ofSeconds(2));
    assertThat(frontStatus(scrape)).isEqualTo(-1);
    assertThat(target.requests("/front")).isEqualTo(1);
  }

  @Test
  void lastGoodValueIsKeptWithItsAgeUntilItTurnsStaleThenTheCheckIsUnknown() throws Exception {
    target.answer("/front", Answer.status(200));
    exporter = TestExporter.start(dir, front("timeout = 30s"), clock);
    Scrape first = exporter.scrape();
    double readAt = first.get("migration_source_last_success_timestamp_seconds",
        "source", "http:front");
    assertThat(frontStatus(first)).isEqualTo(1);

    target.answer("/front", Answer.status(200).hanging());
    clock.advance(Duration.ofSeconds(20));
    Scrape kept = exporter.scrape(TIMEOUT_HEADER, "1");

    assertThat(target.requests("/front")).isEqualTo(2);
    assertThat(frontStatus(kept)).isEqualTo(1);
    assertThat(kept.get("migration_http_status_code", "check", "front")).isEqualTo(200);
    assertThat(kept.get("migration_source_last_success_timestamp_seconds", "source", "http:front"))
        .isEqualTo(readAt);
    JsonNode source = source(exporter.json("/api/status", 200, TIMEOUT_HEADER, "1"), "http:front");
    assertThat(source.path("age_seconds").asDouble()).isEqualTo(20.0);
    assertThat(source.path("stale_after_seconds").asDouble()).isEqualTo(64.0);

    clock.advance(Duration.ofSeconds(45));
    Scrape stale = exporter.scrape(TIMEOUT_HEADER, "1");

    assertThat(frontStatus(stale)).isEqualTo(-1);
    assertThat(stale.value("migration_http_status_code", "check", "front")).isEmpty();
    assertThat(exporter.checkStatus("front", TIMEOUT_HEADER, "1").path("reason").asText())
        .isEqualTo("data is 1m5s old (stale after 1m4s)");
    assertThat(target.requests("/front")).as("one refresh in flight, never a second").isEqualTo(2);
  }

  private static JsonNode source(JsonNode status, String id) {
    for (JsonNode source : status.path("sources")) {
      if (source.path("id").asText().equals(id)) {
        return source;
      }
    }
    throw new AssertionError("no source " + id + " in " + status);
  }

  @Test
  void concurrentScrapesShareOneRefresh() throws Exception {
    target.answer("/front", Answer.status(200));
    exporter = TestExporter.start(dir, front(""), clock);
    assertThat(frontStatus(exporter.scrape())).isEqualTo(1);
    assertThat(target.requests("/front")).isEqualTo(1);

    target.answer("/front", Answer.status(503).hanging());
    clock.advance(Duration.ofSeconds(11));
    int scrapers = 16;
    ExecutorService pool = Executors.newFixedThreadPool(scrapers);
    List<Thread> threads = new ArrayList<>();
    List<Future<Scrape>> scrapes = new ArrayList<>();
    try {
      for (int i = 0; i < scrapers; i++) {
        scrapes.add(pool.submit(() -> {
          synchronized (threads) {
            threads.add(Thread.currentThread());
          }
          return exporter.scrape();
        }));
      }
      Await.until("the shared refresh to reach the target", () -> target.requests("/front") == 2,
          WAIT);
      Await.until("every scraper to wait for its answer", () -> {
        synchronized (threads) {
          return threads.size() == scrapers && threads.stream()
              .allMatch(t -> t.getState() == Thread.State.WAITING
                  || t.getState() == Thread.State.TIMED_WAITING);
        }
      }, WAIT);
      target.release("/front");

      for (Future<Scrape> future : scrapes) {
        Scrape scrape = future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(frontStatus(scrape)).as("each scrape waited for the shared refresh").isEqualTo(0);
        assertThat(scrape.get("migration_source_refreshes_total", "source", "http:front"))
            .isEqualTo(2);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(target.requests("/front")).isEqualTo(2);
  }

  @Test
  void reloadThatRemovesACheckLeavesNoSeriesOfIt() throws Exception {
    target.answer("/front", Answer.status(200));
    target.answer("/api", Answer.status(200));
    String both = front("") + "checks.api.http.url = \"" + target.url("/api") + "\"\n";
    exporter = TestExporter.start(dir, both, clock);
    Scrape before = exporter.scrape();
    assertThat(before.matching("migration_check_status", "check", "api")).hasSize(1);
    assertThat(before.matching("migration_source_up", "source", "http:api")).hasSize(1);

    exporter.rewrite(front(""));
    HttpResponse<String> reload = exporter.post("/-/reload");
    Scrape after = exporter.scrape();

    assertThat(reload.statusCode()).isEqualTo(200);
    assertThat(TestExporter.parse(reload.body()).path("status").asText()).isEqualTo("reloaded");
    assertThat(after.all()).noneMatch(series -> "api".equals(series.labels().get("check"))
        || "http:api".equals(series.labels().get("source")));
    assertThat(frontStatus(after)).isEqualTo(1);
    assertThat(target.requests("/front")).as("an unchanged check keeps its data").isEqualTo(1);
  }

  @Test
  void invalidReloadKeepsTheConfigurationInForceAndSaysWhy() throws Exception {
    target.answer("/front", Answer.status(200));
    exporter = TestExporter.start(dir, front(""), clock);
    assertThat(exporter.scrape().get("migration_exporter_config_last_reload_successful"))
        .isEqualTo(1);

    exporter.rewrite(front("timout = 2s"));
    HttpResponse<String> refused = exporter.post("/-/reload");
    Scrape scrape = exporter.scrape();

    assertThat(refused.statusCode()).isEqualTo(400);
    JsonNode answer = TestExporter.parse(refused.body());
    assertThat(answer.path("status").asText()).isEqualTo("refused");
    String problem = exporter.configFile() + ":3: checks.front.http.timout: unknown key"
        + " (did you mean 'timeout'?)";
    assertThat(answer.path("problems")).hasSize(1);
    assertThat(answer.path("problems").get(0).asText()).isEqualTo(problem);
    assertThat(scrape.get("migration_exporter_config_last_reload_successful")).isEqualTo(0);
    assertThat(frontStatus(scrape)).isEqualTo(1);
    JsonNode config = exporter.json("/api/status", 200).path("config");
    assertThat(config.path("last_reload_successful").asBoolean()).isFalse();
    assertThat(config.path("last_error").asText()).isEqualTo(problem);

    exporter.rewrite(front("timeout = 2s"));
    assertThat(exporter.post("/-/reload").statusCode()).isEqualTo(200);
    assertThat(exporter.scrape().get("migration_exporter_config_last_reload_successful"))
        .isEqualTo(1);
  }
}
