package io.migrationexporter.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migrationexporter.app.Modules;
import io.migrationexporter.config.Plan;
import io.migrationexporter.event.JournalFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a recorded demo night tells what happened: figures worked out by hand from the
 * journal's lines (src/test/resources/report/demo-night.journal.jsonl).
 */
class DemoNightReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode report;
  private static String markdown;

  @BeforeAll
  static void report(@TempDir Path dir) throws Exception {
    Path config = DemoNight.copyInto(dir);
    Plan plan = Modules.loader().load(config);
    Night night;
    night = NightReport.night(JournalFile.readAll(DemoNight.journalIn(dir)), NightPlan.of(plan),
        Optional.empty(), Optional.empty());
    report = JSON.readTree(ReportJson.render(night));
    markdown = ReportMarkdown.render(night);
  }

  @Test
  void phasesWithTheirTimesAndWhoChangedThem() {
    assertThat(texts(report.path("phases"), "phase")).containsExactly("preparation",
        "maintenance", "migration", "reopening", "done");
    JsonNode maintenance = report.path("phases").get(1);
    assertThat(maintenance.path("start").asText()).isEqualTo("2026-12-05T03:27:29.155306079Z");
    assertThat(maintenance.path("end").asText()).isEqualTo("2026-12-05T03:27:48.551033142Z");
    assertThat(maintenance.path("by").asText()).isEqualTo("demo timeline");
    assertThat(report.path("phases").get(4).has("end")).as("done lasts past the journal").isFalse();
  }

  @Test
  void downtimeRunsFromTheFirstAppClosedToTheLastOpenAgain() {
    JsonNode downtime = report.path("downtime");
    // Pix App's front answered 503 at 03:27:31.405; it served again at 03:28:33.746.
    assertThat(downtime.path("first_closed").asText()).isEqualTo("2026-12-05T03:27:31.405668383Z");
    assertThat(downtime.path("last_reopened").asText())
        .isEqualTo("2026-12-05T03:28:33.746004828Z");
    assertThat(downtime.path("seconds").asDouble()).isEqualTo(62.340);
    // Checks of no app (Freshping, the connection counts) are not an app's downtime.
    assertThat(texts(downtime.path("apps"), "title")).containsExactly("Pix App", "Pix Orga",
        "Pix Admin", "Pix API", "Data warehouse", "Metabase");
    JsonNode metabase = downtime.path("apps").get(5);
    assertThat(metabase.path("closed").asText()).isEqualTo("2026-12-05T03:27:48.477593613Z");
    assertThat(metabase.path("reopened").asText()).isEqualTo("2026-12-05T03:28:27.642091430Z");
  }

  @Test
  void theGateWaitNamesTheChecksThatBlockedItLongest() {
    JsonNode waits = report.path("gate_waits");
    assertThat(waits).hasSize(1);
    JsonNode wait = waits.get(0);
    assertThat(wait.path("gate").asText()).isEqualTo("ready-to-migrate");
    assertThat(wait.path("start").asText()).isEqualTo("2026-12-05T03:27:29.155306079Z");
    assertThat(wait.path("opened").asText()).isEqualTo("2026-12-05T03:27:48.478040600Z");
    assertThat(wait.path("seconds").asDouble()).isEqualTo(19.322);
    // The forgotten Metabase session and its container held the gate the whole wait.
    List<String> blockers = texts(wait.path("blockers"), "check");
    assertThat(blockers.subList(0, 2)).containsExactly("datawarehouse-connections",
        "metabase-containers");
    assertThat(wait.path("blockers").get(0).path("seconds").asDouble()).isEqualTo(19.308);
    assertThat(wait.path("blockers").get(0).path("words").asText())
        .contains("metabase (2)");
    assertThat(blockers).hasSize(13).doesNotContain("ready-to-migrate");
    assertThat(report.path("gate_open_to_migration_start_seconds").asDouble()).isEqualTo(0.780);
  }

  @Test
  void eachStepExpectedAgainstActual() {
    JsonNode pix = migration("pix-bigint");
    assertThat(pix.path("started").asText()).isEqualTo("2026-12-05T03:27:49.258489139Z");
    assertThat(pix.path("done").asText()).isEqualTo("2026-12-05T03:28:26.371960793Z");
    JsonNode steps = pix.path("steps");
    assertThat(texts(steps, "status")).containsExactly("done", "done", "skipped");
    assertThat(steps.get(0).path("expected_seconds").asDouble()).isEqualTo(10.0);
    assertThat(steps.get(0).path("actual_seconds").asDouble()).isEqualTo(20.426);
    assertThat(steps.get(1).path("expected_seconds").asDouble()).isEqualTo(7.0);
    assertThat(steps.get(1).path("actual_seconds").asDouble()).isEqualTo(16.687);
    // answers_id_seq took less than a read: done, with no duration to tell.
    assertThat(steps.get(2).has("actual_seconds")).isFalse();
    assertThat(steps.get(0).path("runs").asInt()).isEqualTo(1);
    assertThat(steps.get(0).path("interruptions")).isEmpty();

    JsonNode warehouse = migration("datawarehouse-bigint").path("steps");
    assertThat(warehouse.get(0).path("actual_seconds").asDouble()).isEqualTo(8.414);
    assertThat(warehouse.get(1).path("actual_seconds").asDouble()).isEqualTo(6.210);
  }

  @Test
  void incidentsAreChecksUnknownOrFailingAgainAfterOk() {
    assertThat(texts(report.path("incidents"), "subject")).containsExactly("pix-app-front",
        "pix-orga-front", "pix-admin-front", "api-users-gateway", "freshping-paused");
    assertThat(texts(report.path("incidents"), "kind")).containsOnly("unknown again");
  }

  @Test
  void markdownTellsTheSameFacts() {
    assertThat(markdown).contains("- Downtime as users saw it: 1m2s",
        "| Metabase | 03:27:48 | 03:28:27 | 39s |",
        "**ready-to-migrate**: 19s, from 03:27:29 until it opened at 03:27:48.",
        "| 1 | knowledge-elements.answerId to BIGINT | 10s | 20s | +10s | done |");
  }

  private static JsonNode migration(String name) {
    for (JsonNode migration : report.path("migrations")) {
      if (migration.path("migration").asText().equals(name)) {
        return migration;
      }
    }
    throw new AssertionError("no migration " + name);
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(node -> out.add(node.path(field).asText()));
    return out;
  }
}
