package io.migrationexporter.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.testing.LoopbackTarget;
import io.migrationexporter.testing.LoopbackTarget.Answer;
import io.migrationexporter.testing.MutableClock;
import io.migrationexporter.testing.Ports;
import io.migrationexporter.testing.Scrape;
import io.migrationexporter.testing.TestExporter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate a migration script waits on: 503 with what is not ok, then 200 once all is closed. */
class GateTest {
  private static final String TIMEOUT_HEADER = "X-Prometheus-Scrape-Timeout-Seconds";
  private static final String GATE = "/api/gates/ready-to-migrate";

  @TempDir
  Path dir;

  private LoopbackTarget target;
  private TestExporter exporter;

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.close();
    }
    if (target != null) {
      target.close();
    }
  }

  private static List<String> blocking(JsonNode gate) {
    List<String> names = new ArrayList<>();
    gate.path("blocking").forEach(entry -> names.add(entry.path("check").asText() + ":"
        + entry.path("state").asText()));
    return names;
  }

  @Test
  void readyToMigrateOpensOnceEveryMaintenanceAndConnectionsCheckIsClosed() throws Exception {
    target = LoopbackTarget.start();
    target.answer("/front", Answer.status(200));
    target.answer("/api", Answer.status(503).hanging());
    target.answer("/status-page", Answer.status(200));
    MutableClock clock = MutableClock.startingNow();
    exporter = TestExporter.start(dir, """
        phases.initial = maintenance
        checks {
          front.http.url = "%s"
          api.http { url = "%s", timeout = 30s }
          db { group = connections, tcp.address = "127.0.0.1:%d" }
          status-page { group = reopening, http.url = "%s" }
        }
        """.formatted(target.url("/front"), target.url("/api"), Ports.closed(),
        target.url("/status-page")), clock);

    HttpResponse<String> closed = exporter.get(GATE, TIMEOUT_HEADER, "1");

    assertThat(closed.statusCode()).isEqualTo(503);
    JsonNode gate = TestExporter.parse(closed.body());
    assertThat(gate.path("open").asBoolean()).isFalse();
    assertThat(gate.path("phase").asText()).isEqualTo("migration");
    assertThat(gate.path("checks").asInt()).as("status-page is not selected").isEqualTo(3);
    assertThat(blocking(gate)).containsExactlyInAnyOrder("front:failing", "api:unknown");
    assertThat(gate.path("blocking").get(0).path("reason").asText()).isNotEmpty();
    assertThat(exporter.scrape(TIMEOUT_HEADER, "1").get("migration_gate_open", "gate",
        "ready-to-migrate")).isEqualTo(0);

    target.answer("/front", Answer.status(503));
    target.release("/api");
    clock.advance(Duration.ofSeconds(10));
    HttpResponse<String> open = exporter.get(GATE);

    assertThat(open.statusCode()).as(open.body()).isEqualTo(200);
    assertThat(TestExporter.parse(open.body()).path("blocking")).isEmpty();
    assertThat(exporter.scrape().get("migration_gate_open", "gate", "ready-to-migrate"))
        .isEqualTo(1);
  }

  @Test
  void gateThatSelectsNoCheckStaysClosedAndSaysWhy() throws Exception {
    exporter = TestExporter.start(dir, """
        checks.status-page { group = reopening, tcp.address = "127.0.0.1:%d" }
        """.formatted(Ports.closed()));

    HttpResponse<String> response = exporter.get(GATE);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(TestExporter.parse(response.body()).path("reason").asText())
        .isEqualTo("the gate selects no check");
  }

  @Test
  void unknownGateIs404AndTheListShowsEveryGate() throws Exception {
    exporter = TestExporter.start(dir, """
        checks.db { group = connections, tcp.address = "127.0.0.1:%d" }
        gates.reopened { phase = reopening, checks = [db] }
        """.formatted(Ports.closed()));

    HttpResponse<String> unknown = exporter.get("/api/gates/nope");
    JsonNode all = exporter.json("/api/gates", 200);

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(all.path("gates").findValuesAsText("name"))
        .containsExactlyInAnyOrder("ready-to-migrate", "reopened");
  }

  /**
   * Preparation is no emergency: the gate of the maintenance says what is left to close, neutral.
   * From maintenance on, the gate that speaks for the phase is GO / NO GO with its own words; in
   * reopening the back-in-service gate judges the reopened apps as open, so nothing just reopened
   * is a red cross.
   */
  @Test
  void theHeadlineAnswersTheQuestionOfEachPhase() throws Exception {
    target = LoopbackTarget.start();
    target.answer("/front", Answer.status(200));
    MutableClock clock = MutableClock.startingNow();
    exporter = TestExporter.start(dir, """
        checks.front.http.url = "%s"
        gates.back-in-service {
          title = "Production is back", phase = done, groups = [maintenance]
          phases = [reopening, done]
        }
        """.formatted(target.url("/front")), clock);

    JsonNode preparation = exporter.json("/api/status", 200);
    assertThat(preparation.path("headline").path("tone").asText()).isEqualTo("neutral");
    assertThat(preparation.path("headline").path("text").asText())
        .isEqualTo("1 thing to close when the maintenance starts");
    assertThat(preparation.path("headline").path("gate").asText()).isEqualTo("ready-to-migrate");
    assertThat(speaking(preparation)).isEmpty();
    assertThat(exporter.scrape().get("migration_gate_applies", "gate", "ready-to-migrate"))
        .isEqualTo(0);

    exporter.enterPhase("maintenance");
    JsonNode maintenance = exporter.json("/api/status", 200);
    assertThat(maintenance.path("headline").path("tone").asText()).isEqualTo("no-go");
    assertThat(maintenance.path("headline").path("text").asText())
        .isEqualTo("1 of 1 check not ready for “Ready to migrate”");
    assertThat(speaking(maintenance)).containsExactly("ready-to-migrate");
    assertThat(exporter.scrape().get("migration_gate_applies", "gate", "ready-to-migrate"))
        .isEqualTo(1);

    target.answer("/front", Answer.status(503));
    clock.advance(Duration.ofSeconds(10));
    JsonNode closed = exporter.json("/api/status", 200);
    assertThat(closed.path("headline").path("tone").asText()).isEqualTo("go");
    assertThat(closed.path("headline").path("text").asText()).isEqualTo("Ready to migrate");

    exporter.enterPhase("reopening");
    target.answer("/front", Answer.status(200));
    clock.advance(Duration.ofSeconds(10));
    JsonNode reopening = exporter.json("/api/status", 200);
    assertThat(reopening.path("headline").path("tone").asText()).isEqualTo("go");
    assertThat(reopening.path("headline").path("text").asText()).isEqualTo("Production is back");
    assertThat(reopening.path("headline").path("gate").asText()).isEqualTo("back-in-service");
    assertThat(speaking(reopening)).containsExactly("back-in-service");
    Scrape scrape = exporter.scrape();
    assertThat(scrape.get("migration_gate_applies", "gate", "back-in-service")).isEqualTo(1);
    assertThat(scrape.get("migration_gate_applies", "gate", "ready-to-migrate")).isEqualTo(0);
  }

  @Test
  void withoutAGateForThePhaseTheHeadlineIsNeutral() throws Exception {
    exporter = TestExporter.start(dir, """
        phases.initial = done
        checks.db { group = connections, tcp.address = "127.0.0.1:%d" }
        """.formatted(Ports.closed()));

    JsonNode headline = exporter.json("/api/status", 200).path("headline");

    assertThat(headline.path("tone").asText()).isEqualTo("neutral");
    assertThat(headline.path("text").asText()).isEqualTo("1 of 1 check not as expected");
    assertThat(headline.path("gate").isNull()).isTrue();
  }

  @Test
  void aGateSpeakingForAnUnknownPhaseIsRefused() throws Exception {
    assertThat(TestExporter.refusal(dir, """
        checks.db { group = connections, tcp.address = "127.0.0.1:1" }
        gates.back { phase = done, groups = [connections], phases = [reopenning] }
        """)).contains("gates.back.phases", "'reopenning' is not in phases.order");
  }

  private static List<String> speaking(JsonNode status) {
    List<String> names = new ArrayList<>();
    status.path("gates").forEach(gate -> {
      if (gate.path("speaks_for_phase").asBoolean()) {
        names.add(gate.path("name").asText());
      }
    });
    return names;
  }
}
