package io.migrationexporter.board;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.app.Modules;
import io.migrationexporter.config.Plan;
import io.migrationexporter.event.JournalFile;
import io.migrationexporter.report.DemoNight;
import io.migrationexporter.report.NightPlan;
import io.migrationexporter.report.NightReport;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of the recorded demo night, opened from disk in headless Chromium: drawn, and
 * self-contained (no request leaves the page). The screenshot is
 * target/board-screenshots/night-report.png.
 */
class NightReportPageTest {
  /** Anything that would make a browser fetch: a source, a link, a CSS url() or @import. */
  private static final Pattern FETCHES = Pattern.compile("(?i)\\b(src|href|srcset|action)\\s*="
      + "|url\\(|@import|https?://");

  @TempDir
  Path dir;

  @Test
  void theReportIsDrawnFromDiskWithoutARequest() throws Exception {
    Path config = DemoNight.copyInto(dir);
    Plan plan = Modules.loader().load(config);
    Path html;
    html = NightReport.write(NightReport.night(JournalFile.readAll(DemoNight.journalIn(dir)),
        NightPlan.of(plan), Optional.empty(), Optional.empty()), dir.resolve("out")).get(0);
    String page = Files.readString(html);
    assertThat(FETCHES.matcher(page).find()).as("a reference to fetch in the page").isFalse();
    assertThat(page).contains("<meta http-equiv=\"Content-Security-Policy\" content=\""
        + "default-src 'none';");

    try (Browser browser = Browser.start(1200, 1900)) {
      browser.open(html.toUri().toString());
      browser.await("the timeline drawn", () -> browser.script(
          "return document.querySelectorAll('svg rect').length").asInt() > 100);
      JsonNode requests = browser.script("return performance.getEntriesByType('resource')"
          + ".map(entry => entry.name)");
      assertThat(requests).as("resources the page loaded").isEmpty();
      assertThat(browser.errors()).as("errors the page logged (CSP violations among them)")
          .isEmpty();
      // The chart spans the page's width: the SVG was laid out, not collapsed.
      assertThat(browser.script("return document.querySelector('svg')"
          + ".getBoundingClientRect().width").asDouble()).isGreaterThan(1000);
      assertThat(browser.text(browser.element("h1"))).isEqualTo("The night of 2026-12-05");
      BufferedImage image = Screenshots.save(browser, "night-report");
      assertThat(Screenshots.count(image, Screenshots::greenish)).as("green of open periods")
          .isGreaterThan(1000);
    }
  }
}
