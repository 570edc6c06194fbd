package io.migrationexporter.board;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.migration.StepDefinition;
import io.migrationexporter.migration.StepProgress;
import io.migrationexporter.testing.LoopbackTarget;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every value the page shows comes from configuration or from what sources read: markup in it
 * must show as text and never become an element.
 */
class BoardEscapingTest {
  private static final String APP_TITLE = "<script>window.pwned = 'app'</script>Billing";
  private static final String CHECK_TITLE = "<img src=x onerror=window.pwned=1>Billing front";
  private static final String GATE_TITLE = "<svg onload=window.pwned=2>Billing gate</svg>";
  private static final String MIGRATION_TITLE = "<script>window.pwned = 'migration'</script>ids";
  private static final String STEP_TITLE = "<b>bold</b> <img src=x onerror=window.pwned=3>";
  private static final String LOG_LINE = "ALTER TABLE <img src=x onerror=window.pwned=4> done";

  @TempDir
  Path dir;

  @Test
  void markupInTitlesAndLogLinesRendersAsText() throws Exception {
    ScriptedMigration migration = new ScriptedMigration("ids", MIGRATION_TITLE,
        List.of(new StepDefinition("alter", STEP_TITLE, Optional.of(Duration.ofHours(1)))));
    migration.report(new StepProgress(0, false, Optional.of(Instant.now()), OptionalDouble.empty(),
        Optional.empty(), Optional.of(Instant.now()), LOG_LINE));
    try (LoopbackTarget target = BoardPageTest.inService();
        Browser browser = Browser.start(1920, 1080)) {
      String config = BoardPageTest.SERVER + """
          apps { billing { title = "%s" } }
          checks { front { app = billing, title = "%s", http { url = "%s" } } }
          gates { billing-gate { title = "%s", phase = migration, checks = [front] } }
          """.formatted(APP_TITLE, CHECK_TITLE, target.url("/"), GATE_TITLE);
      try (TestExporter exporter = TestExporter.start(dir, config,
          plan -> ScriptedMigration.added(plan, migration))) {
        browser.open(exporter.url("/"));
        browser.await("the board drawn", () -> browser.find("[data-migration='ids'] .steps").isPresent()
            && browser.find("[data-check='front']").isPresent());

        assertThat(browser.script("return document.querySelectorAll('img, b').length").asInt())
            .as("img and b elements").isZero();
        assertThat(browser.script("return document.querySelectorAll('svg:not(.icon)').length").asInt())
            .as("svg elements other than the board's icons").isZero();
        assertThat(browser.script("return Array.from(document.scripts, s => s.src)"))
            .extracting(node -> node.asText()).singleElement().asString().endsWith("/board/board.js");
        assertThat(browser.script("return typeof window.pwned").asText()).isEqualTo("undefined");

        // shown as written, to be read
        assertThat(text(browser, "[data-check='front'] .card-title")).isEqualTo(CHECK_TITLE);
        assertThat(text(browser, "[data-check='front'] .card-app")).isEqualTo(APP_TITLE);
        // the gate speaks for the migration, not the current phase: one of the other gates' chips
        assertThat(text(browser, "[data-gate='billing-gate'].gate-chip")).startsWith(GATE_TITLE + " · ");
        assertThat(text(browser, "[data-migration='ids'] .migration-title")).isEqualTo(MIGRATION_TITLE);
        assertThat(text(browser, "[data-migration='ids'] .step-title")).isEqualTo(STEP_TITLE);
        assertThat(browser.text(browser.element("body")))
            .contains(CHECK_TITLE, GATE_TITLE, MIGRATION_TITLE, LOG_LINE)
            .containsIgnoringCase(APP_TITLE);
        assertThat(browser.errors()).as("script errors and policy violations").isEmpty();
      }
    }
  }

  private static String text(Browser browser, String css) throws Exception {
    return browser.script("return document.querySelector(arguments[0]).textContent", css).asText();
  }
}
