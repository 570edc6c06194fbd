package io.migrationexporter.check;

import io.migrationexporter.collect.Durations;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.collect.SourceSchedule;
import io.migrationexporter.collect.SourceState;
import io.migrationexporter.migration.MigrationDefinition;
import io.migrationexporter.migration.MigrationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns source data into check states. The rules that make the board trustworthy live here and
 * only here: a check is ok only when the last refresh of its source succeeded, the data is younger
 * than the source's staleness limit, and the observation matches what the phase expects.
 */
public final class Evaluator {
  private Evaluator() {}

  public static CheckResult evaluate(CheckDefinition check, String phase, SourceState source,
      SourceSchedule schedule, Instant now) {
    Expectation expected = check.expectation(phase);
    Optional<String> notFresh = whyNotFresh(source, schedule, now);
    if (notFresh.isPresent()) {
      return unknown(check, phase, expected, notFresh.get(),
          source == null ? null : source.lastSuccessAt().orElse(null));
    }
    Instant at = source.lastSuccessAt().orElseThrow();
    Optional<Observation> seen = source.lastReading().flatMap(r -> r.observation(check.observationKey()));
    if (seen.isEmpty()) {
      return unknown(check, phase, expected, "the source reported nothing for " + check.observationKey(), at);
    }
    Observation observation = seen.get();
    boolean ok = switch (expected) {
      case CLOSED -> observation.closed();
      case OPEN -> observation.open();
      case ANY -> true;
    };
    String reason = ok ? "" : "expected " + expected.label() + " in phase " + phase + ", saw: "
        + observation.summary();
    return new CheckResult(check, phase, expected, ok ? CheckState.OK : CheckState.FAILING,
        observation.closed(), observation.open(), observation.summary(), reason, at,
        observation.quantity());
  }

  /**
   * Why the source's data is no evidence now, or empty when it is: never read, last refresh
   * failed, or older than its staleness limit. Checks and migrations both go by this.
   */
  public static Optional<String> whyNotFresh(SourceState source, SourceSchedule schedule,
      Instant now) {
    if (source == null || source.neverCompleted()) {
      return Optional.of("not yet polled");
    }
    if (source.lastAttemptFailed()) {
      return Optional.of("source unreachable: " + source.lastError().orElse("refresh failed"));
    }
    Duration age = Duration.between(source.lastSuccessAt().orElseThrow(), now);
    if (age.compareTo(schedule.staleAfter()) > 0) {
      return Optional.of("data is " + Durations.format(age.withNanos(0)) + " old (stale after "
          + Durations.format(schedule.staleAfter()) + ")");
    }
    return Optional.empty();
  }

  /** A migration from its source's last reading, or unknown with the reason. */
  public static MigrationStatus evaluate(MigrationDefinition migration, SourceState source,
      SourceSchedule schedule, Instant now) {
    Optional<String> notFresh = whyNotFresh(source, schedule, now);
    if (notFresh.isPresent()) {
      return MigrationStatus.unknown(migration, notFresh.get());
    }
    return source.lastReading().flatMap(reading -> reading.migration(migration.name()))
        .map(progress -> MigrationStatus.of(migration, progress))
        .orElse(MigrationStatus.unknown(migration, "the source reported nothing for it"));
  }

  /**
   * The migration with what its process source saw of its process merged in, when that source's
   * data is fresh; otherwise as it is: a process nobody can see now gives no sign of life.
   */
  public static MigrationStatus withProcess(MigrationStatus status, SourceState processSource,
      SourceSchedule schedule, Instant now) {
    if (whyNotFresh(processSource, schedule, now).isPresent()) {
      return status;
    }
    return processSource.lastReading()
        .flatMap(reading -> reading.process(status.migration().name()))
        .map(process -> process.applyTo(status)).orElse(status);
  }

  private static CheckResult unknown(CheckDefinition check, String phase, Expectation expected,
      String reason, Instant at) {
    return new CheckResult(check, phase, expected, CheckState.UNKNOWN, null, null,
        "Unknown: " + reason, reason, at, Optional.empty());
  }

  /** A gate is open when it selects at least one check and every selected check is ok in its phase. */
  public static GateResult evaluate(GateDefinition gate, List<CheckResult> inGatePhase) {
    List<CheckResult> blocking = new ArrayList<>();
    int selected = 0;
    for (CheckResult result : inGatePhase) {
      if (!gate.selects(result.check())) {
        continue;
      }
      selected++;
      if (result.state() != CheckState.OK) {
        blocking.add(result);
      }
    }
    return new GateResult(gate, selected > 0 && blocking.isEmpty(), blocking, selected);
  }
}
