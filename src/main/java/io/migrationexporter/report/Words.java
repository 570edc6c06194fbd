package io.migrationexporter.report;

import io.migrationexporter.collect.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/** Times and durations as the report writes them for people: UTC, whole seconds. */
final class Words {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss")
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter
      .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Words() {}

  static String time(Instant at) {
    return TIME.format(at);
  }

  static String time(Optional<Instant> at, String otherwise) {
    return at.map(Words::time).orElse(otherwise);
  }

  static String dateTime(Instant at) {
    return DATE_TIME.format(at);
  }

  /** "700ms" under a second (to the tenth), else whole seconds: "19s", "1m5s", "2h3m". */
  static String duration(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return Durations.format(Duration.ofMillis(Math.round(millis / 100.0) * 100));
    }
    return Durations.format(Duration.ofSeconds(Math.round(millis / 1000.0)));
  }

  static String duration(Optional<Duration> duration, String otherwise) {
    return duration.map(Words::duration).orElse(otherwise);
  }

  /** A step's actual duration against its expected one: "+9s" late, "-2s" early, "" unknown. */
  static String difference(Night.StepFacts step) {
    return step.actual().flatMap(actual -> step.expected().map(actual::minus))
        .map(difference -> (difference.isNegative() ? "-" : "+") + duration(difference.abs()))
        .orElse("");
  }

  /**
   * The data a step worked on, as far as the source read it: "table 40 GB, 300,000,000 rows;
   * WAL 52 GB"; empty when it read nothing.
   */
  static String data(Night.StepFacts step) {
    String table = step.volume().map(volume -> "table "
        + io.migrationexporter.migration.Words.bytes(volume.bytes()) + ", "
        + String.format(Locale.ROOT, "%,d", volume.rows()) + " rows").orElse("");
    String wal = step.measure().map(measure -> "WAL "
        + io.migrationexporter.migration.Words.bytes(measure.walBytes())).orElse("");
    return table.isEmpty() || wal.isEmpty() ? table + wal : table + "; " + wal;
  }

  /** Seconds to the millisecond, for JSON. */
  static double seconds(Duration duration) {
    return duration.truncatedTo(ChronoUnit.MILLIS).toMillis() / 1000.0;
  }
}
