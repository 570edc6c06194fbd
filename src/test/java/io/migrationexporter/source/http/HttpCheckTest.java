package io.migrationexporter.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.testing.LoopbackTarget;
import io.migrationexporter.testing.LoopbackTarget.Answer;
import io.migrationexporter.testing.PlainHttpPort;
import io.migrationexporter.testing.Ports;
import io.migrationexporter.testing.Scrape;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP checks against real HTTP servers on loopback, through a whole running exporter. */
class HttpCheckTest {
  @TempDir
  Path dir;

  private LoopbackTarget target;
  private TestExporter exporter;

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

  /** One HTTP check named {@code front} of app {@code front}, with {@code http} as its block. */
  private Scrape run(String phase, String http) throws Exception {
    exporter = TestExporter.start(dir, """
        phases.initial = %s
        apps.front.title = "Front"
        checks.front {
          app = front
          http { %s }
        }
        """.formatted(phase, http));
    return exporter.scrape();
  }

  private static double status(Scrape scrape) {
    return scrape.get("migration_check_status", "check", "front");
  }

  @Test
  void maintenancePageInMaintenanceIsOk() throws Exception {
    target.answer("/", Answer.status(503).body("Pix est en maintenance"));

    Scrape scrape = run("maintenance", "url = \"" + target.url("/") + "\"");

    assertThat(status(scrape)).isEqualTo(1);
    assertThat(scrape.get("migration_http_status_code", "check", "front", "app", "front"))
        .isEqualTo(503);
    assertThat(scrape.get("migration_check_observed", "check", "front", "observed", "closed"))
        .isEqualTo(1);
    // One series each, for the current state only: the others are absent, not 0.
    assertThat(scrape.matching("migration_check_observed", "check", "front")).hasSize(1);
    assertThat(scrape.matching("migration_check_expected", "check", "front"))
        .singleElement().satisfies(series -> {
          assertThat(series.labels()).containsEntry("expected", "closed");
          assertThat(series.value()).isEqualTo(1);
        });
    assertThat(exporter.checkStatus("front").path("state").asText()).isEqualTo("ok");
  }

  @Test
  void serviceInMaintenanceIsFailing() throws Exception {
    target.answer("/", Answer.status(200).body("Welcome"));

    Scrape scrape = run("maintenance", "url = \"" + target.url("/") + "\"");

    assertThat(status(scrape)).isEqualTo(0);
    JsonNode check = exporter.checkStatus("front");
    assertThat(check.path("state").asText()).isEqualTo("failing");
    assertThat(check.path("reason").asText())
        .isEqualTo("expected closed in phase maintenance, saw: In service (HTTP 200)");
  }

  @Test
  void serviceInPreparationIsOkAndMaintenancePageIsNot() throws Exception {
    target.answer("/up", Answer.status(200));
    target.answer("/down", Answer.status(503));
    exporter = TestExporter.start(dir, """
        checks.up.http.url = "%s"
        checks.down.http.url = "%s"
        """.formatted(target.url("/up"), target.url("/down")));

    Scrape scrape = exporter.scrape();

    assertThat(scrape.get("migration_check_status", "check", "up")).isEqualTo(1);
    assertThat(scrape.get("migration_check_status", "check", "down")).isEqualTo(0);
  }

  @Test
  void connectionRefusedIsFailingWithStatusZeroAndKindConnect() throws Exception {
    Scrape scrape = run("maintenance", "url = \"http://127.0.0.1:" + Ports.closed() + "/\"");

    assertTransportError(scrape, "connect");
  }

  @Test
  void unresolvableHostIsFailingWithKindDns() throws Exception {
    Scrape scrape = run("maintenance", "url = \"http://nonexistent.invalid/\"");

    assertTransportError(scrape, "dns");
  }

  @Test
  void hangingTargetIsFailingWithKindTimeout() throws Exception {
    target.answer("/", Answer.status(503).hanging());

    Scrape scrape = run("maintenance", "url = \"" + target.url("/") + "\", timeout = 300ms");

    assertTransportError(scrape, "timeout");
  }

  @Test
  void tlsToPlainHttpPortIsFailingWithKindTls() throws Exception {
    try (PlainHttpPort plain = PlainHttpPort.start()) {
      Scrape scrape = run("maintenance", "url = \"https://127.0.0.1:" + plain.port() + "/\"");

      assertTransportError(scrape, "tls");
    }
  }

  /** No answer is neither closed nor open: failing in any phase, never unknown, never ok. */
  private void assertTransportError(Scrape scrape, String kind) {
    assertThat(status(scrape)).isEqualTo(0);
    assertThat(scrape.get("migration_http_status_code", "check", "front")).isEqualTo(0);
    assertThat(scrape.get("migration_http_error", "check", "front", "kind", kind)).isEqualTo(1);
    assertThat(scrape.get("migration_check_observed", "check", "front", "observed", "neither"))
        .isEqualTo(1);
    JsonNode check = exporter.checkStatus("front");
    assertThat(check.path("state").asText()).isEqualTo("failing");
    assertThat(check.path("value").asText()).startsWith("Unreachable: ").endsWith("(" + kind + ")");
  }

  @Test
  void closedBodyRegexMustMatchForClosed() throws Exception {
    target.answer("/pix", Answer.status(503).body("<h1>Pix est en maintenance</h1>"));
    target.answer("/proxy", Answer.status(503).body("Service Unavailable"));
    exporter = TestExporter.start(dir, """
        phases.initial = maintenance
        checks.pix.http { url = "%s", closed-body-regex = "en maintenance" }
        checks.proxy.http { url = "%s", closed-body-regex = "en maintenance" }
        """.formatted(target.url("/pix"), target.url("/proxy")));

    Scrape scrape = exporter.scrape();

    assertThat(scrape.get("migration_check_status", "check", "pix")).isEqualTo(1);
    assertThat(scrape.get("migration_check_status", "check", "proxy")).isEqualTo(0);
    assertThat(exporter.checkStatus("proxy").path("value").asText())
        .isEqualTo("HTTP 503 without the maintenance text");
  }

  @Test
  void openBodyRegexMustMatchForOpen() throws Exception {
    target.answer("/app", Answer.status(200).body("<title>Pix</title>"));
    target.answer("/default", Answer.status(200).body("Welcome to nginx!"));
    exporter = TestExporter.start(dir, """
        checks.app.http { url = "%s", open-body-regex = "<title>Pix" }
        checks.default.http { url = "%s", open-body-regex = "<title>Pix" }
        """.formatted(target.url("/app"), target.url("/default")));

    Scrape scrape = exporter.scrape();

    assertThat(scrape.get("migration_check_status", "check", "app")).isEqualTo(1);
    assertThat(scrape.get("migration_check_status", "check", "default")).isEqualTo(0);
  }

  @Test
  void redirectsAreFollowedOnlyWhenAsked() throws Exception {
    target.answer("/old", Answer.status(302).header("Location", "/maintenance"));
    target.answer("/maintenance", Answer.status(503));
    exporter = TestExporter.start(dir, """
        phases.initial = maintenance
        checks.following.http { url = "%s", follow-redirects = true }
        checks.stopping.http { url = "%s" }
        """.formatted(target.url("/old"), target.url("/old")));

    Scrape scrape = exporter.scrape();

    assertThat(scrape.get("migration_http_status_code", "check", "following")).isEqualTo(503);
    assertThat(scrape.get("migration_check_status", "check", "following")).isEqualTo(1);
    assertThat(scrape.get("migration_http_status_code", "check", "stopping")).isEqualTo(302);
    assertThat(scrape.get("migration_check_status", "check", "stopping")).isEqualTo(0);
    assertThat(target.requests("/maintenance")).isEqualTo(1);
  }

  @Test
  void slowTargetWithinTheTimeoutIsOk() throws Exception {
    target.answer("/", Answer.status(503).delay(Duration.ofMillis(400)));

    Scrape scrape = run("maintenance", "url = \"" + target.url("/") + "\", timeout = 3s");

    assertThat(status(scrape)).isEqualTo(1);
    assertThat(scrape.get("migration_http_duration_seconds", "check", "front"))
        .isGreaterThanOrEqualTo(0.4);
  }

  @Test
  void explicitStatusListsAndClassesReplaceTheDefaults() throws Exception {
    target.answer("/", Answer.status(404));

    Scrape scrape = run("maintenance", "url = \"" + target.url("/") + "\", closed-status = [4xx, 503]");

    assertThat(status(scrape)).isEqualTo(1);
  }
}
