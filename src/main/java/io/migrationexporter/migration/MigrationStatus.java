package io.migrationexporter.migration;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A migration as the board shows it: the last fresh progress its source reported, and what follows
 * from it with the expected durations. When the source is down or its data stale, {@code known} is
 * false and nothing else is claimed.
 *
 * @param progress what the source reported; empty when unknown
 * @param reason why it is unknown, or empty
 */
public record MigrationStatus(MigrationDefinition migration, boolean known,
    Optional<StepProgress> progress, String reason) {

  public static MigrationStatus unknown(MigrationDefinition migration, String reason) {
    return new MigrationStatus(migration, false, Optional.empty(), reason);
  }

  public static MigrationStatus of(MigrationDefinition migration, StepProgress progress) {
    if (progress.step() >= migration.steps().size()) {
      throw new IllegalArgumentException("step " + progress.step() + " of migration "
          + migration.name() + " which has " + migration.steps().size());
    }
    return new MigrationStatus(migration, true, Optional.of(progress), "");
  }

  /** Step k of n as people count: 0 before the start, n when done. */
  public int stepNumber() {
    return progress.map(p -> p.done() ? migration.steps().size() : p.step() + 1).orElse(0);
  }

  public Optional<StepDefinition> currentStep() {
    return progress.filter(p -> p.step() >= 0).map(p -> migration.steps().get(p.step()));
  }

  public boolean done() {
    return progress.map(StepProgress::done).orElse(false);
  }

  /**
   * Overall progress weighted by expected durations: finished steps count in full, the current one
   * by its measured ratio. Empty when a needed figure is missing (a step without expected duration,
   * a current step without measured ratio): no guess is presented as a measure.
   */
  public OptionalDouble overallRatio() {
    if (!known) {
      return OptionalDouble.empty();
    }
    StepProgress p = progress.get();
    if (p.done()) {
      return OptionalDouble.of(1);
    }
    List<StepDefinition> steps = migration.steps();
    double total = 0;
    double finished = 0;
    for (int i = 0; i < steps.size(); i++) {
      Optional<Duration> expected = steps.get(i).expected();
      if (expected.isEmpty()) {
        return OptionalDouble.empty();
      }
      double seconds = expected.get().toMillis() / 1e3;
      total += seconds;
      if (i < p.step()) {
        finished += seconds;
      } else if (i == p.step()) {
        if (p.stepRatio().isEmpty()) {
          return OptionalDouble.empty();
        }
        finished += seconds * p.stepRatio().getAsDouble();
      }
    }
    return total <= 0 ? OptionalDouble.empty() : OptionalDouble.of(Math.min(1, finished / total));
  }

  /**
   * When the migration should end: the current step's end (measured by the source, or its start
   * plus its expected duration) plus the expected durations of the steps after it. Empty when a
   * needed figure is missing.
   */
  public Optional<Instant> eta(Instant now) {
    if (!known) {
      return Optional.empty();
    }
    StepProgress p = progress.get();
    if (p.done()) {
      return Optional.empty();
    }
    List<StepDefinition> steps = migration.steps();
    Instant end;
    int next;
    if (p.step() < 0) {
      end = now;
      next = 0;
    } else {
      Optional<Instant> stepEnd = p.stepEta().or(() -> p.stepStartedAt().flatMap(started ->
          steps.get(p.step()).expected().map(started::plus)));
      if (stepEnd.isEmpty()) {
        return Optional.empty();
      }
      end = stepEnd.get().isBefore(now) ? now : stepEnd.get();
      next = p.step() + 1;
    }
    for (int i = next; i < steps.size(); i++) {
      Optional<Duration> expected = steps.get(i).expected();
      if (expected.isEmpty()) {
        return Optional.empty();
      }
      end = end.plus(expected.get());
    }
    return Optional.of(end);
  }
}
