package io.migrationexporter.board;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.migration.StepDefinition;
import io.migrationexporter.migration.StepProgress;
import io.migrationexporter.testing.LoopbackTarget;
import io.migrationexporter.testing.LoopbackTarget.Answer;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The board on a wall screen at 1920x1080, as the night of the Pix migration had it: 12
 * maintenance checks, 2 connections checks, 4 migrations, in each of the five phases. What a
 * team watches from 3 m must be on screen without scrolling, and the headline must answer the
 * phase's own question. Screenshots go to target/board-screenshots/kiosk-*.png.
 */
class BoardKioskTest {
  private static final int WIDTH = 1920;
  private static final int HEIGHT = 1080;
  private static final List<String> APPS = List.of("pix-api", "pix-app", "pix-orga",
      "pix-certif", "pix-admin", "pix-junior");
  private static final List<String> DATABASES = List.of("pix-api", "pix-datawarehouse",
      "pix-certif", "pix-junior");

  private static Browser browser;

  @TempDir
  Path dir;

  @BeforeAll
  static void startBrowser() throws Exception {
    browser = Browser.start(WIDTH, HEIGHT);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  private static String config(LoopbackTarget target) {
    StringBuilder hocon = new StringBuilder(BoardPageTest.SERVER).append("apps {\n");
    APPS.forEach(app -> hocon.append("  ").append(app).append(".title = \"")
        .append(app.replace("pix-", "Pix ")).append("\"\n"));
    hocon.append("}\nchecks {\n");
    for (String app : APPS) {
      hocon.append(check(target, app + "-front", app, "Front-end", "maintenance"));
      hocon.append(check(target, app + "-containers", app, "Containers", "maintenance"));
    }
    hocon.append(check(target, "metabase-connections", "", "Connections to pix-datawarehouse",
        "connections"));
    hocon.append(check(target, "api-connections", "pix-api", "Connections to pix-api",
        "connections"));
    hocon.append("}\n").append("""
        gates.back-in-service {
          title = "Production is back", phase = done, groups = [maintenance]
          phases = [reopening, done]
        }
        """);
    return hocon.toString();
  }

  private static String check(LoopbackTarget target, String name, String app, String title,
      String group) {
    return "  " + name + " { title = \"" + title + "\", group = " + group
        + (app.isEmpty() ? "" : ", app = " + app) + ", http.url = \"" + target.url("/" + name)
        + "\" }\n";
  }

  /** Every target answers as a team that did its job would have it in {@code phase}. */
  private static void answerAsExpected(LoopbackTarget target, String phase, JsonNode checks) {
    boolean closed = phase.equals("maintenance") || phase.equals("migration");
    checks.forEach(check -> target.answer("/" + check.path("name").asText(),
        Answer.status(closed ? 503 : 200).body(closed ? "maintenance" : "in service")));
  }

  private static List<ScriptedMigration> migrations() {
    List<ScriptedMigration> migrations = new ArrayList<>();
    for (String database : DATABASES) {
      migrations.add(new ScriptedMigration(database + "-bigint", database + ": ids to bigint",
          List.of(new StepDefinition("column", "Alter the referencing columns",
                  Optional.of(Duration.ofHours(6))),
              new StepDefinition("key", "Alter the primary key", Optional.of(Duration.ofHours(2))),
              new StepDefinition("sequence", "Alter the sequence",
                  Optional.of(Duration.ofMinutes(1))))));
    }
    return migrations;
  }

  private static void progress(List<ScriptedMigration> migrations, String phase) {
    Instant now = Instant.now();
    for (int i = 0; i < migrations.size(); i++) {
      StepProgress progress;
      if (phase.equals("migration")) {
        progress = i == 0 ? new StepProgress(2, true, Optional.empty(), OptionalDouble.empty(),
            Optional.empty(), Optional.of(now), "")
            : new StepProgress(i % 2, false, Optional.of(now.minus(Duration.ofMinutes(40 * i))),
                OptionalDouble.of(0.2 * i), Optional.empty(), Optional.of(now.minusSeconds(3)),
                "rewriting the table answers");
      } else if (phase.equals("reopening") || phase.equals("done")) {
        progress = new StepProgress(2, true, Optional.empty(), OptionalDouble.empty(),
            Optional.empty(), Optional.of(now), "");
      } else {
        progress = StepProgress.notStarted();
      }
      migrations.get(i).report(progress);
    }
  }

  @Test
  void everythingATeamWatchesIsOnScreenInEveryPhase() throws Exception {
    List<ScriptedMigration> migrations = migrations();
    try (LoopbackTarget target = LoopbackTarget.start();
        TestExporter exporter = TestExporter.start(dir, config(target),
            plan -> ScriptedMigration.added(plan, migrations.toArray(ScriptedMigration[]::new)))) {
      JsonNode checks = exporter.json("/api/status", 200).path("checks");
      // preparation: apps still serve, which is fine; the headline is a to-do list, not an alarm
      answerAsExpected(target, "migration", checks);
      answerAsExpected(target, "preparation", checks);
      browser.open(exporter.url("/"));
      String expected = "14 things to close when the maintenance starts";
      assertPhase(exporter, migrations, target, checks, "preparation", "gate-neutral", expected);
      assertPhase(exporter, migrations, target, checks, "maintenance", "gate-go", "Ready to migrate");
      assertPhase(exporter, migrations, target, checks, "migration", "gate-go", "Ready to migrate");
      assertPhase(exporter, migrations, target, checks, "reopening", "gate-go", "Production is back");
      assertPhase(exporter, migrations, target, checks, "done", "gate-go", "Production is back");
    }
  }

  @Test
  void aForgottenConnectionAndItsGateBlockerAreOnScreen() throws Exception {
    List<ScriptedMigration> migrations = migrations();
    try (LoopbackTarget target = LoopbackTarget.start();
        TestExporter exporter = TestExporter.start(dir, config(target),
            plan -> ScriptedMigration.added(plan, migrations.toArray(ScriptedMigration[]::new)))) {
      JsonNode checks = exporter.json("/api/status", 200).path("checks");
      exporter.enterPhase("maintenance");
      answerAsExpected(target, "maintenance", checks);
      target.answer("/metabase-connections", Answer.status(200).body("metabase (2)"));
      progress(migrations, "maintenance");
      browser.open(exporter.url("/"));
      browser.await("the gate blocked by the forgotten connection only", () -> browser
          .find("[data-gate='ready-to-migrate'].gate-nogo .blocking").isPresent()
          && browser.text(browser.element("#gates")).contains("1 of 14 checks"));
      assertThat(browser.text(browser.element("#gates"))).contains("NO GO",
          "1 of 14 checks not ready for “Ready to migrate”", "Connections to pix-datawarehouse");
      Screenshots.save(browser, "kiosk-maintenance-blocked-1920x1080");
      assertOnScreen("#gates .blocking li");
      assertOnScreen("[data-check='metabase-connections']");
      assertEveryCheckAndMigrationOnScreen();
    }
  }

  private void assertPhase(TestExporter exporter, List<ScriptedMigration> migrations,
      LoopbackTarget target, JsonNode checks, String phase, String gateClass, String headline)
      throws Exception {
    if (!phase.equals("preparation")) {
      exporter.enterPhase(phase);
    }
    answerAsExpected(target, phase, checks);
    progress(migrations, phase);
    browser.await(phase + ": every card as expected and the headline " + headline, () ->
        browser.find("[data-phase='" + phase + "'][aria-current='step']").isPresent()
            && browser.find("#gates ." + gateClass).isPresent()
            && browser.text(browser.element("#gates")).contains(headline)
            && browser.find(".card-failing, .card-unknown").isEmpty()
            && browser.find(".migration-unknown").isEmpty());
    Screenshots.save(browser, "kiosk-" + phase + "-1920x1080");
    assertThat(browser.find(".gate-nogo")).as("no red gate in " + phase).isEmpty();
    assertEveryCheckAndMigrationOnScreen();
    assertOnScreen("#gates");
    assertOnScreen("#phases");
    assertOnScreen("#events-title");
  }

  private void assertEveryCheckAndMigrationOnScreen() throws Exception {
    assertThat(browser.script("return document.querySelectorAll('[data-check]').length").asInt())
        .isEqualTo(14);
    assertOnScreen("[data-check]");
    assertThat(browser.script("return document.querySelectorAll('[data-migration]').length")
        .asInt()).isEqualTo(4);
    assertOnScreen("[data-migration]");
    assertOnScreen("[data-check] .card-title");
  }

  /** Every element {@code css} matches lies whole within the 1920x1080 viewport, unscrolled. */
  private void assertOnScreen(String css) throws Exception {
    JsonNode outside = browser.script("""
        window.scrollTo(0, 0);
        return Array.from(document.querySelectorAll(arguments[0])).filter((node) => {
          const box = node.getBoundingClientRect();
          return box.width === 0 || box.top < 0 || box.left < 0
              || box.bottom > window.innerHeight || box.right > window.innerWidth;
        }).map((node) => (node.dataset.check || node.dataset.migration || node.id
            || node.className) + ' ' + JSON.stringify(node.getBoundingClientRect()));
        """, css);
    assertThat(browser.script("return document.querySelectorAll(arguments[0]).length", css).asInt())
        .as("elements matching %s", css).isPositive();
    List<String> names = new ArrayList<>();
    outside.forEach(node -> names.add(node.asText()));
    assertThat(names).as("%s outside the 1920x1080 viewport", css).isEmpty();
  }
}
