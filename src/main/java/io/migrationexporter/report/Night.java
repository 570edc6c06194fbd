package io.migrationexporter.report;

import io.migrationexporter.migration.RelationVolume;
import io.migrationexporter.migration.StepMeasure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The facts of one night, as the journal tells them: what a report renders, in HTML, Markdown or
 * JSON. An end that is empty means "still so when the journal ends".
 */
public record Night(Instant from, Instant to, List<PhasePeriod> phases,
    List<CheckTimeline> checks, List<GateTimeline> gates, Downtime downtime,
    List<GateWait> gateWaits, Optional<Instant> migrationStarted,
    Optional<Duration> gateOpenToMigrationStart, List<MigrationFacts> migrations,
    List<Incident> incidents, Alerts alerts) {

  /** The same night with the alerts read from Prometheus, or the reason they could not be. */
  public Night withAlerts(Alerts read) {
    return new Night(from, to, phases, checks, gates, downtime, gateWaits, migrationStarted,
        gateOpenToMigrationStart, migrations, incidents, read);
  }

  /** How long the team waited on gates in all. */
  public Duration waitedOnGates() {
    return gateWaits.stream().map(GateWait::duration).reduce(Duration.ZERO, Duration::plus);
  }

  /** A phase and who or what entered it. */
  public record PhasePeriod(String phase, Instant start, Optional<Instant> end, String by) {}

  /**
   * A stretch of time in one state: for checks closed, open, ok (in a phase expecting neither),
   * failing or unknown; for gates open or closed.
   */
  public record Period(String state, Instant start, Instant end, String words) {
    public Duration duration() {
      return Duration.between(start, end);
    }
  }

  public record CheckTimeline(String check, String title, String app, List<Period> periods) {}

  public record GateTimeline(String gate, List<Period> periods) {}

  /**
   * The downtime as users saw it: from the first app closed to the last reopened; the end is
   * empty when an app was still not open again when the journal ends.
   */
  public record Downtime(Optional<Instant> firstClosed, Optional<Instant> lastReopened,
      List<AppDowntime> apps) {
    public Optional<Duration> duration() {
      return firstClosed.flatMap(start -> lastReopened.map(end -> Duration.between(start, end)));
    }
  }

  public record AppDowntime(String app, String title, Instant closed, Optional<Instant> reopened) {
    public Optional<Duration> duration() {
      return reopened.map(end -> Duration.between(closed, end));
    }
  }

  /** The team waiting on a gate: from the start of the phase in which it opened until it did. */
  public record GateWait(String gate, Instant start, Instant opened, List<Blocker> blockers) {
    public Duration duration() {
      return Duration.between(start, opened);
    }
  }

  /** A check that kept a gate closed, for how long during the wait, and its last words. */
  public record Blocker(String check, String title, Duration blocked, String words) {}

  public record MigrationFacts(String migration, String title, Optional<Instant> started,
      Optional<Instant> done, List<StepFacts> steps) {}

  /**
   * One step of a migration.
   *
   * @param name the step's name in the configuration, empty when the report has none
   * @param status done, running (when the journal ends), interrupted, skipped (finished between
   *     two reads: no duration known), not reached
   * @param runs how many times it was started (more than 1: rerun after an interruption)
   * @param interruptions when the step stopped without finishing, or the migration was reported
   *     interrupted
   * @param lockWaits how long the step waited on a lock
   * @param unknown how long during the step the source could not tell where the migration was
   * @param expected the step's expected duration on the table it rewrote (scaled from a rehearsal
   *     when the configuration and the journal give both sizes), if configured
   * @param scaled how {@code expected} was scaled from the rehearsal's, in words; empty if not
   * @param volume the size of the table the step rewrote at its last start, if the source read it
   * @param measure what the source measured of the step's last run when it finished (its WAL,
   *     how its time split), if it measures steps
   */
  public record StepFacts(int number, String name, String title, Optional<Duration> expected,
      Optional<Instant> started, Optional<Instant> ended, Optional<Duration> actual,
      String status, int runs, List<Instant> interruptions, Duration lockWaits,
      Duration unknown, Optional<RelationVolume> volume, Optional<StepMeasure> measure,
      Optional<String> scaled) {}

  /**
   * Something that went wrong: a check failing or unknown again after it was ok in the same
   * phase, a migration silent, interrupted or unknown, a reload refused.
   */
  public record Incident(Instant at, String kind, String subject, String words) {}

  /**
   * The alerts that fired during the night, as Prometheus's {@code ALERTS} series tell them, or
   * why they were not read: {@code unread} is empty only when they were, so "no alert" is never
   * said of alerts nobody asked for.
   */
  public record Alerts(Optional<String> unread, List<Alert> fired) {
    public static Alerts notRead(String why) {
      return new Alerts(Optional.of(why), List.of());
    }

    public static Alerts read(List<Alert> fired) {
      return new Alerts(Optional.empty(), List.copyOf(fired));
    }
  }

  /**
   * One alert firing from {@code from} to {@code to} (empty: still firing when the window ends),
   * with its severity and the labels that tell what it is about (migration, check, app,
   * instance).
   */
  public record Alert(String name, String severity, Map<String, String> labels, Instant from,
      Optional<Instant> to) {
    /** Its labels as {@code name=value, ...}, or an empty string. */
    public String about() {
      return String.join(", ", labels.entrySet().stream()
          .map(label -> label.getKey() + "=" + label.getValue()).toList());
    }
  }
}
