package io.migrationexporter.report;

import io.migrationexporter.event.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The report of a night: its facts from the journal, written as HTML, Markdown and JSON. */
public final class NightReport {
  static final String BASE_NAME = "night-report";

  private NightReport() {}

  /**
   * The facts of the journal's events between {@code from} and {@code to} (default: its first and
   * last events).
   *
   * @throws IllegalArgumentException no event in the window, or a window that ends before it starts
   */
  public static Night night(List<Event> journal, NightPlan plan, Optional<Instant> from,
      Optional<Instant> to) {
    return NightAnalysis.analyse(Window.cut(journal, from, to), plan);
  }

  /** Writes night-report.html, .md and .json into {@code directory} and returns their paths. */
  public static List<Path> write(Night night, Path directory) throws IOException {
    Files.createDirectories(directory);
    Path html = directory.resolve(BASE_NAME + ".html");
    Path markdown = directory.resolve(BASE_NAME + ".md");
    Path json = directory.resolve(BASE_NAME + ".json");
    Files.writeString(html, ReportHtml.render(night), StandardCharsets.UTF_8);
    Files.writeString(markdown, ReportMarkdown.render(night), StandardCharsets.UTF_8);
    Files.writeString(json, ReportJson.render(night), StandardCharsets.UTF_8);
    return List.of(html, markdown, json);
  }
}
