package io.migrationexporter.report;

import com.typesafe.config.ConfigUtil;
import io.migrationexporter.collect.Durations;
import io.migrationexporter.report.Night.MigrationFacts;
import io.migrationexporter.report.Night.StepFacts;
import io.migrationexporter.config.RehearsalProfile;
import io.migrationexporter.migration.StepMeasure;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

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
        .append(" table\n# size (its bytes over the rehearsal's) once read; a step's profile (how its")
        .append(" time split\n# between the heap rewrite, index builds and foreign-key validation)")
        .append(" replaces the\n# built-in one in the step's ETA.\n")
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
              .append(".measured-on { ")
              .append(volume.table().map(table -> "table = " + ConfigUtil.quoteString(table) + ", ").orElse(""))
              .append("bytes = ").append(volume.bytes()).append(", rows = ")
              .append(volume.rows()).append(" }\n"));
          step.measure().filter(StepMeasure::hasProfile)
              .ifPresent(measure -> profile(out, step.name(), measure));
        }
      }
      out.append("  }\n");
    }
    return out.append("}\n").toString();
  }

  /**
   * The step's measured time profile; a ratio outside what the configuration accepts (a phase
   * seen for a fraction of a read) is a comment, and the ETA keeps its built-in one.
   */
  private static void profile(StringBuilder out, String step, StepMeasure measure) {
    List<String> ratios = new ArrayList<>();
    List<String> left = new ArrayList<>();
    ratio(ratios, left, "index-sort", measure.indexSort(), 0);
    ratio(ratios, left, "index-write", measure.indexWrite(), RehearsalProfile.MIN_INDEX_WRITE);
    ratio(ratios, left, "foreign-key-join", measure.foreignKeyJoin(), 0);
    left.forEach(why -> out.append("    # ").append(step).append(".profile: ").append(why)
        .append('\n'));
    if (!ratios.isEmpty()) {
      out.append("    ").append(step).append(".profile { ").append(String.join(", ", ratios))
          .append(" }\n");
    }
  }

  private static void ratio(List<String> ratios, List<String> left, String key,
      OptionalDouble value, double min) {
    if (value.isEmpty()) {
      return;
    }
    String figure = String.format(Locale.ROOT, "%.3f", value.getAsDouble());
    if (value.getAsDouble() < min || value.getAsDouble() > RehearsalProfile.MAX_RATIO) {
      left.add(key + " measured " + figure + ", outside " + min + " to "
          + RehearsalProfile.MAX_RATIO + ": not used");
    } else {
      ratios.add(key + " = " + figure);
    }
  }

}
