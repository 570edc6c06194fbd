package io.migrationexporter.report;

import io.migrationexporter.collect.Durations;
import io.migrationexporter.report.Night.MigrationFacts;
import io.migrationexporter.report.Night.StepFacts;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * A rehearsal's measured step durations as a HOCON fragment ({@code report --expectations}) that
 * the production configuration includes: {@code expectations.<migration>.<step>.duration}.
 */
public final class ReportExpectations {
  private ReportExpectations() {}

  /**
   * The fragment; a step the report cannot time (not reached, over between two reads, unknown
   * to the configuration) is a comment, and keeps its own expected duration.
   *
   * @param journal where the durations were measured, for the fragment's header
   */
  public static String render(Night night, String journal) {
    StringBuilder out = new StringBuilder()
        .append("# Step durations measured by `migration-exporter report --expectations` in\n")
        .append("# ").append(journal.replace('\n', ' ')).append(", from ")
        .append(Words.dateTime(night.from())).append(" to ").append(Words.dateTime(night.to()))
        .append(".\n# Included in a configuration (include \"this-file.conf\"), each replaces its")
        .append(" step's\n# expected-duration; a step with measured-on is scaled to the night's")
        .append(" table\n# size (its bytes over the rehearsal's) once read at the step's start.\n")
        .append("expectations {\n");
    for (MigrationFacts migration : night.migrations()) {
      out.append("  ").append(migration.migration()).append(" {\n");
      for (StepFacts step : migration.steps()) {
        if (step.name().isEmpty()) {
          out.append("    # step ").append(step.number()).append(", ").append(step.title())
              .append(": not in the configuration\n");
        } else if (step.actual().isEmpty()) {
          out.append("    # ").append(step.name()).append(": not measured (").append(step.status())
              .append(")\n");
        } else {
          Duration actual = step.actual().get().truncatedTo(ChronoUnit.MILLIS);
          out.append("    # ").append(step.title()).append(": ")
              .append(Words.time(step.started().get())).append(" to ")
              .append(Words.time(step.ended().get()))
              .append(step.runs() > 1 ? ", " + step.runs() + " runs" : "")
              .append(step.expected().map(e -> ", expected " + Words.duration(e)).orElse(""))
              .append('\n')
              .append("    ").append(step.name()).append(".duration = ")
              .append(Durations.format(actual)).append('\n');
          step.volume().ifPresent(volume -> out.append("    ").append(step.name())
              .append(".measured-on { bytes = ").append(volume.bytes()).append(", rows = ")
              .append(volume.rows()).append(" }\n"));
        }
      }
      out.append("  }\n");
    }
    return out.append("}\n").toString();
  }
}
