package io.migrationexporter.report;

import io.migrationexporter.report.Night.AppDowntime;
import io.migrationexporter.report.Night.Blocker;
import io.migrationexporter.report.Night.CheckTimeline;
import io.migrationexporter.report.Night.GateTimeline;
import io.migrationexporter.report.Night.GateWait;
import io.migrationexporter.report.Night.Alert;
import io.migrationexporter.report.Night.Alerts;
import io.migrationexporter.report.Night.Incident;
import io.migrationexporter.report.Night.MigrationFacts;
import io.migrationexporter.report.Night.Period;
import io.migrationexporter.report.Night.PhasePeriod;
import io.migrationexporter.report.Night.StepFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The night as one self-contained HTML page: inline CSS and SVG, no script, and a Content
 * Security Policy that lets the browser fetch nothing, so it opens the same from a laptop, a mail
 * attachment or paper.
 */
public final class ReportHtml {
  /** Nothing may be loaded: styles are inline, images are the inline SVG. */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline';"
      + " img-src data:; base-uri 'none'; form-action 'none'";

  private static final int WIDTH = 1100;
  private static final int LABEL = 300;
  private static final int CHART = WIDTH - LABEL - 20;
  private static final int ROW = 18;
  private static final int AXIS = 24;
  private static final List<Duration> TICKS = List.of(Duration.ofSeconds(1),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
      Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15),
      Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4));
  private static final List<String> PHASE_COLOURS = List.of("#d8e3f0", "#f5e0b8", "#f0c9c9",
      "#dcecc8", "#e3d8ee", "#d9ecec");

  private static final String STYLE = """
      body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
        color: #1d1d1f; margin: 24px auto; max-width: 1140px; padding: 0 12px; }
      h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px;
        border-bottom: 1px solid #ccc; padding-bottom: 2px; } h3 { font-size: 15px; margin: 16px 0 6px; }
      .window { color: #555; margin: 0 0 16px; }
      .facts { display: flex; flex-wrap: wrap; gap: 10px; }
      .fact { border: 1px solid #ccc; border-radius: 6px; padding: 8px 12px; min-width: 180px; }
      .fact b { display: block; font-size: 20px; } .fact span { color: #555; font-size: 12px; }
      table { border-collapse: collapse; margin: 4px 0 8px; }
      th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid #e4e4e4;
        vertical-align: top; }
      th { font-size: 12px; color: #555; font-weight: 600; }
      td.n { text-align: right; font-variant-numeric: tabular-nums; }
      .late { color: #a40000; } .early { color: #2e6b00; } .muted { color: #777; }
      .legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 12px; margin: 6px 0; }
      .legend i { display: inline-block; width: 14px; height: 10px; margin-right: 4px;
        vertical-align: -1px; border: 1px solid #888; }
      svg { display: block; max-width: 100%; height: auto; }
      svg text { font: 11px system-ui, sans-serif; fill: #1d1d1f; }
      svg .head { font-weight: 700; }
      @media print { body { margin: 0; max-width: none; font-size: 11px; }
        section { break-inside: avoid; } h2 { break-after: avoid; } }
      @page { size: A4 landscape; margin: 12mm; }
      """;

  /** The colour of each state in the chart and its legend. */
  private static final Map<String, String> COLOURS = colours();

  private final Night night;
  private final StringBuilder out = new StringBuilder();

  private ReportHtml(Night night) {
    this.night = night;
  }

  public static String render(Night night) {
    return new ReportHtml(night).page();
  }

  private static Map<String, String> colours() {
    Map<String, String> colours = new LinkedHashMap<>();
    colours.put("closed", "#3465a4");
    colours.put("open", "#4e9a06");
    colours.put("ok", "#8ae234");
    colours.put("failing", "#cc0000");
    colours.put("unknown", "#babdb6");
    colours.put("gate open", "#73d216");
    colours.put("gate closed", "#e9b96e");
    colours.put("step", "#75507b");
    colours.put("expected", "#ffffff");
    return colours;
  }

  private String page() {
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(CONTENT_SECURITY_POLICY).append("\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>The night of ").append(esc(Words.dateTime(night.from()))).append("</title>\n")
        .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n");
    out.append("<h1>The night of ").append(esc(Words.dateTime(night.from()).substring(0, 10)))
        .append("</h1>\n<p class=\"window\">From ").append(esc(Words.dateTime(night.from())))
        .append(" to ").append(esc(Words.dateTime(night.to()))).append(" (")
        .append(esc(Words.duration(Duration.between(night.from(), night.to()))))
        .append("), as the exporter's journal tells it. Times are UTC.</p>\n");
    summary();
    timeline();
    phases();
    downtime();
    gateWaits();
    migrations();
    incidents();
    out.append("</body>\n</html>\n");
    return out.toString();
  }

  private void summary() {
    out.append("<section class=\"facts\">\n");
    fact(Words.duration(night.downtime().duration(), night.downtime().firstClosed().isPresent()
        ? "not over" : "none"), "downtime as users saw it");
    fact(Words.duration(night.waitedOnGates()), "waited on the gate");
    fact(Words.duration(night.gateOpenToMigrationStart(), "—"), "gate open to migration start");
    for (MigrationFacts migration : night.migrations()) {
      Optional<Duration> took = migration.started().flatMap(start -> migration.done()
          .map(done -> Duration.between(start, done)));
      fact(Words.duration(took, migration.started().isPresent() ? "not done" : "not started"),
          migration.title());
    }
    fact(String.valueOf(night.incidents().size()), "incidents");
    fact(night.alerts().unread().isPresent() ? "not read"
        : String.valueOf(night.alerts().fired().size()), "alerts fired");
    out.append("</section>\n");
  }

  private void fact(String value, String what) {
    out.append("<div class=\"fact\"><b>").append(esc(value)).append("</b><span>")
        .append(esc(what)).append("</span></div>\n");
  }

  private void timeline() {
    out.append("<section>\n<h2>Timeline</h2>\n<div class=\"legend\">");
    COLOURS.forEach((state, colour) -> out.append("<span><i style=\"background:").append(colour)
        .append("\"></i>").append(esc(legendWords(state))).append("</span>"));
    out.append("</div>\n");
    Chart chart = new Chart(night.from(), night.to());
    chart.heading("Phases");
    List<Period> phases = new ArrayList<>();
    for (PhasePeriod phase : night.phases()) {
      phases.add(new Period(phase.phase(), phase.start(), phase.end().orElse(night.to()),
          phase.by().isEmpty() ? "" : "by " + phase.by()));
    }
    chart.phases(phases);
    if (!night.gates().isEmpty()) {
      chart.heading("Gates");
      for (GateTimeline gate : night.gates()) {
        chart.row(gate.gate(), gate.periods().stream().map(period -> new Period("gate "
            + period.state(), period.start(), period.end(), period.words())).toList());
      }
    }
    Map<String, List<CheckTimeline>> byApp = new LinkedHashMap<>();
    night.checks().forEach(check -> byApp.computeIfAbsent(check.app(), app -> new ArrayList<>())
        .add(check));
    // checks of no app (monitoring, backups) after the apps
    List<CheckTimeline> noApp = byApp.remove("");
    if (noApp != null) {
      byApp.put("", noApp);
    }
    Map<String, String> appTitles = new LinkedHashMap<>();
    night.downtime().apps().forEach(app -> appTitles.put(app.app(), app.title()));
    byApp.forEach((app, checks) -> {
      chart.heading(app.isEmpty() ? "Other checks" : appTitles.getOrDefault(app, app));
      checks.forEach(check -> chart.row(check.title(), check.periods()));
    });
    for (MigrationFacts migration : night.migrations()) {
      chart.heading(migration.title());
      for (StepFacts step : migration.steps()) {
        chart.step(step);
      }
    }
    out.append(chart.svg()).append("</section>\n");
  }

  private static String legendWords(String state) {
    return switch (state) {
      case "closed" -> "closed, as the phase expects";
      case "open" -> "open, as the phase expects";
      case "ok" -> "ok (no expectation)";
      case "failing" -> "failing";
      case "unknown" -> "unknown (no fresh data)";
      case "step" -> "step running";
      case "expected" -> "step's expected duration";
      default -> state;
    };
  }

  private void phases() {
    out.append("<section>\n<h2>Phases</h2>\n<table><tr><th>Phase</th><th>From</th><th>To</th>"
        + "<th>Lasted</th><th>Entered by</th></tr>\n");
    for (PhasePeriod phase : night.phases()) {
      out.append("<tr><td>").append(esc(phase.phase())).append("</td><td>")
          .append(Words.time(phase.start())).append("</td><td>")
          .append(esc(Words.time(phase.end(), "—"))).append("</td><td class=\"n\">")
          .append(esc(Words.duration(phase.end().map(end -> Duration.between(phase.start(), end)),
              "still")))
          .append("</td><td>").append(esc(phase.by())).append("</td></tr>\n");
    }
    out.append("</table>\n</section>\n");
  }

  private void downtime() {
    out.append("<section>\n<h2>Downtime as users saw it</h2>\n");
    if (night.downtime().firstClosed().isEmpty()) {
      out.append("<p>No app was closed.</p>\n</section>\n");
      return;
    }
    out.append("<p>From the first app closed, at ")
        .append(Words.time(night.downtime().firstClosed().get())).append(", to the last one open"
            + " again, ").append(esc(night.downtime().lastReopened().map(Words::time)
            .map(at -> "at " + at + ": " + Words.duration(night.downtime().duration().get()))
            .orElse("not yet when the journal ends"))).append(".</p>\n");
    out.append("<table><tr><th>App</th><th>Closed</th><th>Open again</th><th>Down for</th>"
        + "</tr>\n");
    for (AppDowntime app : night.downtime().apps()) {
      out.append("<tr><td>").append(esc(app.title())).append("</td><td>")
          .append(Words.time(app.closed())).append("</td><td>")
          .append(esc(Words.time(app.reopened(), "not yet"))).append("</td><td class=\"n\">")
          .append(esc(Words.duration(app.duration(), "—"))).append("</td></tr>\n");
    }
    out.append("</table>\n</section>\n");
  }

  private void gateWaits() {
    out.append("<section>\n<h2>Waiting on the gate</h2>\n");
    if (night.gateWaits().isEmpty()) {
      out.append("<p>No gate kept the team waiting.</p>\n");
    }
    for (GateWait wait : night.gateWaits()) {
      out.append("<h3>").append(esc(wait.gate())).append(": ")
          .append(esc(Words.duration(wait.duration()))).append(", from ")
          .append(Words.time(wait.start())).append(" until it opened at ")
          .append(Words.time(wait.opened())).append("</h3>\n");
      if (wait.blockers().isEmpty()) {
        out.append("<p class=\"muted\">No check of the gate was failing or unknown.</p>\n");
        continue;
      }
      out.append("<table><tr><th>Check that kept it closed</th><th>For</th><th>Its last"
          + " words</th></tr>\n");
      for (Blocker blocker : wait.blockers()) {
        out.append("<tr><td>").append(esc(blocker.title())).append("</td><td class=\"n\">")
            .append(esc(Words.duration(blocker.blocked()))).append("</td><td>")
            .append(esc(blocker.words())).append("</td></tr>\n");
      }
      out.append("</table>\n");
    }
    night.gateOpenToMigrationStart().ifPresent(took -> out.append("<p>From the gate open to"
        + " the migration's start: ").append(esc(Words.duration(took))).append(".</p>\n"));
    out.append("</section>\n");
  }

  private void migrations() {
    for (MigrationFacts migration : night.migrations()) {
      out.append("<section>\n<h2>").append(esc(migration.title())).append("</h2>\n<p>")
          .append(esc(migration.migration())).append(": ")
          .append(esc(migration.started().map(at -> "started at " + Words.time(at))
              .orElse("not started")))
          .append(esc(migration.done().map(at -> ", done at " + Words.time(at) + " ("
              + Words.duration(Duration.between(migration.started().orElse(at), at)) + ")")
              .orElse(migration.started().isPresent() ? ", not done when the journal ends"
                  : "")))
          .append(".</p>\n<table><tr><th>#</th><th>Step</th><th>Expected</th><th>Actual</th>"
              + "<th>Difference</th><th>Status</th><th>Started</th><th>Ended</th><th>Runs</th>"
              + "<th>Interrupted at</th><th>Lock waits</th><th>Unknown for</th><th>Data</th>"
              + "</tr>\n");
      for (StepFacts step : migration.steps()) {
        String difference = Words.difference(step);
        out.append("<tr><td class=\"n\">").append(step.number()).append("</td><td>")
            .append(esc(step.title())).append("</td><td class=\"n\"")
            .append(step.scaled().map(words -> " title=\"" + esc(words) + "\"").orElse(""))
            .append('>').append(esc(Words.duration(step.expected(), "—")))
            .append(step.scaled().isPresent() ? " (scaled)" : "").append("</td><td class=\"n\">")
            .append(esc(Words.duration(step.actual(), "—"))).append("</td><td class=\"n ")
            .append(difference.startsWith("+") ? "late" : "early").append("\">")
            .append(esc(difference)).append("</td><td>").append(esc(step.status()))
            .append("</td><td>").append(esc(Words.time(step.started(), "")))
            .append("</td><td>").append(esc(Words.time(step.ended(), "")))
            .append("</td><td class=\"n\">").append(step.runs()).append("</td><td>")
            .append(esc(String.join(", ", step.interruptions().stream().map(Words::time)
                .toList()))).append("</td><td class=\"n\">")
            .append(step.lockWaits().isZero() ? "" : esc(Words.duration(step.lockWaits())))
            .append("</td><td class=\"n\">")
            .append(step.unknown().isZero() ? "" : esc(Words.duration(step.unknown())))
            .append("</td><td>").append(esc(Words.data(step))).append("</td></tr>\n");
      }
      out.append("</table>\n</section>\n");
    }
  }

  private void incidents() {
    out.append("<section>\n<h2>Incidents</h2>\n");
    if (night.incidents().isEmpty()) {
      out.append("<p>None.</p>\n");
      alerts();
      out.append("</section>\n");
      return;
    }
    out.append("<table><tr><th>At</th><th>What</th><th>Of</th><th>Words</th></tr>\n");
    for (Incident incident : night.incidents()) {
      out.append("<tr><td>").append(Words.time(incident.at())).append("</td><td>")
          .append(esc(incident.kind())).append("</td><td>").append(esc(incident.subject()))
          .append("</td><td>").append(esc(incident.words())).append("</td></tr>\n");
    }
    out.append("</table>\n");
    alerts();
    out.append("</section>\n");
  }

  private void alerts() {
    out.append("<h3>Alerts</h3>\n");
    Alerts alerts = night.alerts();
    if (alerts.unread().isPresent() || alerts.fired().isEmpty()) {
      out.append("<p>").append(esc(alerts.unread().map(why -> "Alerts " + why + ".")
          .orElse("None fired."))).append("</p>\n");
      return;
    }
    out.append("<table><tr><th>Alert</th><th>Severity</th><th>About</th><th>From</th>"
        + "<th>To</th></tr>\n");
    for (Alert alert : alerts.fired()) {
      out.append("<tr><td>").append(esc(alert.name())).append("</td><td>")
          .append(esc(alert.severity())).append("</td><td>").append(esc(alert.about()))
          .append("</td><td>").append(Words.time(alert.from())).append("</td><td>")
          .append(esc(Words.time(alert.to(), "still firing"))).append("</td></tr>\n");
    }
    out.append("</table>\n");
  }

  static String esc(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /** The Gantt-like chart: one row per phase band, gate, check and step, on one time axis. */
  private static final class Chart {
    private final Instant from;
    private final Instant to;
    private final StringBuilder rows = new StringBuilder();
    private int y = AXIS;

    Chart(Instant from, Instant to) {
      this.from = from;
      this.to = to.isAfter(from) ? to : from.plusSeconds(1);
    }

    private double x(Instant at) {
      double share = Duration.between(from, at).toMillis()
          / (double) Duration.between(from, to).toMillis();
      return LABEL + Math.max(0, Math.min(1, share)) * CHART;
    }

    void heading(String title) {
      y += 6;
      rows.append(text(4, y + 13, title, "head"));
      y += ROW;
    }

    void phases(List<Period> phases) {
      rows.append(text(14, y + 13, "phase", ""));
      for (int i = 0; i < phases.size(); i++) {
        Period phase = phases.get(i);
        double x = x(phase.start());
        double width = Math.max(1, x(phase.end()) - x);
        rows.append(rect(x, y, width, ROW - 2, PHASE_COLOURS.get(i % PHASE_COLOURS.size()),
            tooltip(phase.state(), phase)));
        if (width > 8 * phase.state().length()) {
          rows.append(text(x + 3, y + 12, phase.state(), ""));
        }
      }
      y += ROW;
    }

    void row(String label, List<Period> periods) {
      rows.append(text(14, y + 13, label, ""));
      for (Period period : periods) {
        double x = x(period.start());
        rows.append(rect(x, y + 2, Math.max(1, x(period.end()) - x), ROW - 5,
            COLOURS.getOrDefault(period.state(), "#888888"), tooltip(period.state(), period)));
      }
      y += ROW;
    }

    void step(StepFacts step) {
      rows.append(text(14, y + 13, step.number() + ". " + step.title(), ""));
      if (step.started().isPresent()) {
        Instant start = step.started().get();
        double x = x(start);
        step.expected().ifPresent(expected -> rows.append(String.format(java.util.Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"none\""
                + " stroke=\"#75507b\" stroke-dasharray=\"3 2\"><title>%s</title></rect>",
            x, y + 1, Math.max(1, x(start.plus(expected)) - x), ROW - 3,
            esc("expected " + Words.duration(expected)))));
        Instant end = step.ended().orElse(to);
        rows.append(rect(x, y + 4, Math.max(1, x(end) - x), ROW - 9,
            step.status().equals("interrupted") ? COLOURS.get("failing") : COLOURS.get("step"),
            step.title() + ": " + step.status() + ", " + Words.time(start) + " to "
                + Words.time(end) + step.actual().map(actual -> " (" + Words.duration(actual)
                + ")").orElse("")));
        for (Instant interruption : step.interruptions()) {
          rows.append(String.format(java.util.Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\""
              + " y1=\"%d\" y2=\"%d\" stroke=\"#cc0000\" stroke-width=\"2\"/>",
              x(interruption), x(interruption), y, y + ROW - 2));
        }
      }
      y += ROW;
    }

    private static String tooltip(String state, Period period) {
      return state + ", " + Words.time(period.start()) + " to " + Words.time(period.end()) + " ("
          + Words.duration(period.duration()) + ")"
          + (period.words().isEmpty() ? "" : ": " + period.words());
    }

    private static String rect(double x, int y, double width, int height, String fill,
        String title) {
      return String.format(java.util.Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\""
          + " height=\"%d\" fill=\"%s\"><title>%s</title></rect>\n", x, y, width, height, fill,
          esc(title));
    }

    private static String text(double x, int y, String words, String cssClass) {
      return String.format(java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\"%s>%s</text>\n", x, y,
          cssClass.isEmpty() ? "" : " class=\"" + cssClass + "\"", esc(clip(words)));
    }

    /** A label that fits the label column. */
    private static String clip(String words) {
      return words.length() <= 46 ? words : words.substring(0, 45) + "…";
    }

    String svg() {
      StringBuilder axis = new StringBuilder();
      Duration span = Duration.between(from, to);
      Duration tick = TICKS.stream().filter(step -> span.dividedBy(step) <= 10).findFirst()
          .orElse(TICKS.get(TICKS.size() - 1));
      long first = (from.getEpochSecond() / tick.getSeconds() + 1) * tick.getSeconds();
      for (Instant at = Instant.ofEpochSecond(first); !at.isAfter(to); at = at.plus(tick)) {
        double x = x(at);
        axis.append(String.format(java.util.Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\""
            + " y2=\"%d\" stroke=\"#dddddd\"/>\n", x, x, AXIS - 4, y));
        axis.append(text(x - 22, AXIS - 8, Words.time(at), ""));
      }
      return String.format(java.util.Locale.ROOT, "<svg"
          + " viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"Timeline"
          + " of the night\">\n", WIDTH, y + 4, WIDTH, y + 4) + axis + rows + "</svg>\n";
    }
  }
}
