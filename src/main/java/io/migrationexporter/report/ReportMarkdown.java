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
import java.util.List;

/** The night as Markdown: the HTML page's facts, for a wiki page or a ticket. */
public final class ReportMarkdown {
  private final Night night;
  private final StringBuilder out = new StringBuilder();

  private ReportMarkdown(Night night) {
    this.night = night;
  }

  public static String render(Night night) {
    return new ReportMarkdown(night).document();
  }

  private String document() {
    out.append("# The night of ").append(Words.dateTime(night.from()), 0, 10).append("\n\n")
        .append("From ").append(Words.dateTime(night.from())).append(" to ")
        .append(Words.dateTime(night.to())).append(" (")
        .append(Words.duration(Duration.between(night.from(), night.to())))
        .append("), as the exporter's journal tells it. Times are UTC.\n\n");
    out.append("- Downtime as users saw it: ").append(Words.duration(night.downtime().duration(),
        night.downtime().firstClosed().isPresent() ? "not over" : "none")).append('\n')
        .append("- Waited on the gate: ").append(Words.duration(night.waitedOnGates())).append('\n')
        .append("- Gate open to migration start: ")
        .append(Words.duration(night.gateOpenToMigrationStart(), "—")).append('\n')
        .append("- Incidents: ").append(night.incidents().size()).append('\n')
        .append("- Alerts fired: ").append(night.alerts().unread().isPresent() ? "not read"
            : String.valueOf(night.alerts().fired().size())).append("\n\n");

    out.append("## Phases\n\n| Phase | From | To | Lasted | Entered by |\n|---|---|---|---|---|\n");
    for (PhasePeriod phase : night.phases()) {
      row(phase.phase(), Words.time(phase.start()), Words.time(phase.end(), "—"),
          Words.duration(phase.end().map(end -> Duration.between(phase.start(), end)), "still"),
          phase.by());
    }

    out.append("\n## Downtime as users saw it\n\n");
    if (night.downtime().apps().isEmpty()) {
      out.append("No app was closed.\n");
    } else {
      out.append("| App | Closed | Open again | Down for |\n|---|---|---|---|\n");
      for (AppDowntime app : night.downtime().apps()) {
        row(app.title(), Words.time(app.closed()), Words.time(app.reopened(), "not yet"),
            Words.duration(app.duration(), "—"));
      }
    }

    out.append("\n## Waiting on the gate\n\n");
    if (night.gateWaits().isEmpty()) {
      out.append("No gate kept the team waiting.\n");
    }
    for (GateWait wait : night.gateWaits()) {
      out.append("**").append(cell(wait.gate())).append("**: ")
          .append(Words.duration(wait.duration())).append(", from ")
          .append(Words.time(wait.start())).append(" until it opened at ")
          .append(Words.time(wait.opened())).append(".\n\n");
      if (!wait.blockers().isEmpty()) {
        out.append("| Check that kept it closed | For | Its last words |\n|---|---|---|\n");
        for (Blocker blocker : wait.blockers()) {
          row(blocker.title(), Words.duration(blocker.blocked()), blocker.words());
        }
        out.append('\n');
      }
    }

    for (MigrationFacts migration : night.migrations()) {
      out.append("\n## ").append(cell(migration.title())).append("\n\n")
          .append("| # | Step | Expected | Actual | Difference | Status | Started | Ended | Runs"
              + " | Interrupted at | Lock waits | Unknown for | Data |\n"
              + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (StepFacts step : migration.steps()) {
        row(String.valueOf(step.number()), step.title(), Words.duration(step.expected(), "—")
            + step.scaled().map(words -> " (" + words + ")").orElse(""),
            Words.duration(step.actual(), "—"), Words.difference(step),
            step.status(), Words.time(step.started(), ""), Words.time(step.ended(), ""),
            String.valueOf(step.runs()), String.join(", ", step.interruptions().stream()
                .map(Words::time).toList()),
            step.lockWaits().isZero() ? "" : Words.duration(step.lockWaits()),
            step.unknown().isZero() ? "" : Words.duration(step.unknown()), Words.data(step));
      }
    }

    out.append("\n## Incidents\n\n");
    if (night.incidents().isEmpty()) {
      out.append("None.\n");
    } else {
      out.append("| At | What | Of | Words |\n|---|---|---|---|\n");
      for (Incident incident : night.incidents()) {
        row(Words.time(incident.at()), incident.kind(), incident.subject(), incident.words());
      }
    }

    out.append("\n### Alerts\n\n");
    Alerts alerts = night.alerts();
    if (alerts.unread().isPresent() || alerts.fired().isEmpty()) {
      out.append(alerts.unread().map(why -> "Alerts " + why + ".").orElse("None fired."))
          .append('\n');
    } else {
      out.append("| Alert | Severity | About | From | To |\n|---|---|---|---|---|\n");
      for (Alert alert : alerts.fired()) {
        row(alert.name(), alert.severity(), alert.about(), Words.time(alert.from()),
            Words.time(alert.to(), "still firing"));
      }
    }

    out.append("\n## Timeline of the gates and checks\n\n| Gate or check | Periods |\n|---|---|\n");
    for (GateTimeline gate : night.gates()) {
      row("gate " + gate.gate(), periods(gate.periods()));
    }
    for (CheckTimeline check : night.checks()) {
      row(check.title(), periods(check.periods()));
    }
    return out.toString();
  }

  private static String periods(List<Period> periods) {
    return String.join("; ", periods.stream().map(period -> period.state() + " "
        + Words.time(period.start()) + "–" + Words.time(period.end()) + " ("
        + Words.duration(period.duration()) + ")").toList());
  }

  private void row(String... cells) {
    out.append('|');
    for (String cell : cells) {
      out.append(' ').append(cell(cell)).append(" |");
    }
    out.append('\n');
  }

  /** Table cells hold no pipe and no line break. */
  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
