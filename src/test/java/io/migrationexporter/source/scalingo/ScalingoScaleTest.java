package io.migrationexporter.source.scalingo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.demo.fakes.FakeScalingo;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.TestExporter;
import io.migrationexporter.source.saas.SaasHttp;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScalingoScaleTest {
  static final int APPS = 50;
  /** What a distant API costs per call. */
  static final Duration LATENCY = Duration.ofMillis(100);

  @TempDir
  Path dir;

  @Test
  void fiftyAppsRefreshConcurrentlyWithBoundedConcurrency() throws Exception {
    try (FakeScalingo fake = new FakeScalingo(Clock.systemUTC())) {
      fake.start();
      fake.acceptToken(ScalingoSourceTest.TOKEN);
      StringBuilder apps = new StringBuilder();
      for (int i = 0; i < APPS; i++) {
        fake.app("app-" + i).scale("web", 1);
        apps.append("    app-").append(i).append(" {}\n");
      }
      fake.delay(LATENCY);
      String config = """
          sources.scalingo.pix {
            token = "%s"
            api-url = "%s"
            auth-url = "%s"
            interval = 60s
            timeout = 5s
            apps {
          %s  }
          }
          checks.app-0 { scalingo-containers { account = pix, app = app-0 } }
          """.formatted(ScalingoSourceTest.TOKEN, fake.url(), fake.url(), apps);
      long start = System.nanoTime();
      try (TestExporter exporter = TestExporter.start(dir, config)) {
        Await.until("every source up", () -> upSources(exporter), up -> up == APPS,
            Duration.ofSeconds(30));
        // How long it took is a figure for bench/, not an assertion: on a loaded machine it
        // varies. That the calls overlap, within the per-host bound, is what keeps it short.
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(fake.maxConcurrentRequests())
            .as("calls run concurrently, bounded by the per-host limit")
            .isBetween(4, SaasHttp.MAX_REQUESTS_PER_HOST);
        assertThat(fake.requests("POST /v1/tokens/exchange")).as("one JWT for the account").isEqualTo(1);
        System.out.printf("50 Scalingo apps refreshed in %d ms, at most %d calls at once%n",
            took.toMillis(), fake.maxConcurrentRequests());
      }
    }
  }

  private static int upSources(TestExporter exporter) {
    int up = 0;
    for (JsonNode source : exporter.json("/api/status", 200).get("sources")) {
      if (source.get("id").asText().startsWith("scalingo:") && source.get("up").asBoolean()) {
        up++;
      }
    }
    return up;
  }
}
