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
 * @param stateEnteredAt when the migration entered its current state, once the exporter knows
 */
public record MigrationStatus(MigrationDefinition migration, boolean known,
    Optional<StepProgress> progress, String reason, Optional<Instant> stateEnteredAt) {

  public MigrationStatus(MigrationDefinition migration, boolean known,
      Optional<StepProgress> progress, String reason) {
    this(migration, known, progress, reason, Optional.empty());
  }

  public static MigrationStatus unknown(MigrationDefinition migration, String reason) {
    return new MigrationStatus(migration, false, Optional.empty(), reason);
  }

  public MigrationStatus withProgress(StepProgress changed) {
    return new MigrationStatus(migration, known, Optional.of(changed), reason, stateEnteredAt);
  }

  public MigrationStatus withStateEnteredAt(Instant at) {
    return new MigrationStatus(migration, known, progress, reason, Optional.of(at));
  }

  /**
   * The migration's state at {@code now}. Running needs a sign of life younger than
   * {@link MigrationDefinition#silentAfter()}; a lock wait or an interruption the source saw says
   * more than a sign of life.
   */
  public MigrationState state(Instant now) {
    if (!known) {
      return MigrationState.UNKNOWN;
    }
    StepProgress p = progress.get();
    if (p.done()) {
      return MigrationState.DONE;
    }
    if (p.interruption().isPresent()) {
      return MigrationState.INTERRUPTED;
    }
    if (p.step() < 0) {
      return MigrationState.NOT_STARTED;
    }
    if (p.waiting().isPresent()) {
      return MigrationState.WAITING;
    }
    return silentFor(now).isPresent() ? MigrationState.SILENT : MigrationState.RUNNING;
  }

  /** How long the started migration has gone without a sign of life, once past its threshold. */
  public Optional<Duration> silentFor(Instant now) {
    Optional<Instant> sign = progress.flatMap(StepProgress::signOfLife);
    if (sign.isEmpty()) {
      return Optional.of(Duration.ZERO);
    }
    Duration quiet = Duration.between(sign.get(), now);
    return quiet.compareTo(migration.silentAfter()) > 0 ? Optional.of(quiet) : Optional.empty();
  }

  /** When a running migration turns silent unless a sign of life comes first. */
  public Optional<Instant> silentAt() {
    return progress.filter(p -> !p.done() && p.step() >= 0)
        .flatMap(StepProgress::signOfLife).map(sign -> sign.plus(migration.silentAfter()));
  }

  /** The state in words, with what explains it: "Waiting on a lock", "Interrupted: ...". */
  public String stateWords(Instant now) {
    MigrationState state = state(now);
    return switch (state) {
      case UNKNOWN -> "Unknown: " + reason;
      case INTERRUPTED -> {
        Interruption interruption = progress.get().interruption().get();
        yield "Interrupted: " + interruption.reason() + " (attempt " + attemptNumber(interruption.step())
            + " of step " + (interruption.step() + 1) + ")";
      }
      case SILENT -> progress.get().signOfLife()
          .map(sign -> "Silent: no sign of life for "
              + Words.duration(Duration.between(sign, now)))
          .orElse("Silent: no sign of life yet");
      default -> state.words();
    };
  }

  /**
   * What the migration's time looks like, in words that never lie: the expected duration before
   * the start, how long a lock has blocked it, how late it is past its estimate, never "in 0 s".
   */
  public String timeWords(Instant now) {
    MigrationState state = state(now);
    StepProgress p = progress.orElse(null);
    switch (state) {
      case UNKNOWN:
        return "no estimate while the migration is unknown";
      case DONE:
        return "done";
      case NOT_STARTED:
        return expectedTotal().map(total -> "about " + Words.duration(total) + " once started")
            .orElse("no expected duration configured");
      case WAITING:
        Waiting waiting = p.waiting().get();
        return "blocked for " + Words.duration(Duration.between(waiting.since(), now)) + " by "
            + waiting.who();
      case INTERRUPTED:
        Interruption interruption = p.interruption().get();
        return "interrupted " + Words.duration(Duration.between(interruption.at(), now))
            + " ago, no estimate until the step runs again";
      default:
        Optional<Instant> stepEnd = currentStepEnd();
        // a whole second late at least: never "overdue by 0 s"
        if (stepEnd.isPresent() && stepEnd.get().isBefore(now.minusSeconds(1))) {
          return "overdue by " + Words.duration(Duration.between(stepEnd.get(), now))
              + (p.detail().isEmpty() ? "" : " (" + p.detail() + ")");
        }
        // a silent migration may be dead: its estimate holds only if it still runs
        String unlessDead = state == MigrationState.SILENT ? " if it still runs" : "";
        return eta(now).map(end -> Duration.between(now, end))
            .map(left -> (left.compareTo(Duration.ofMinutes(1)) < 0 ? "ends within a minute"
                : "ends in about " + Words.duration(left)) + unlessDead)
            .orElse("no estimate");
    }
  }

  /** How many times step {@code step} was started, as far as the source saw: 1 at least. */
  private int attemptNumber(int step) {
    long started = progress.get().attempts().stream().filter(a -> a.step() == step).count();
    return (int) Math.max(1, started);
  }

  /** The sum of the steps' expected durations on the night's data, when each step has one. */
  public Optional<Duration> expectedTotal() {
    Duration total = Duration.ZERO;
    for (int i = 0; i < migration.steps().size(); i++) {
      Optional<Duration> expected = stepExpected(i);
      if (expected.isEmpty()) {
        return Optional.empty();
      }
      total = total.plus(expected.get());
    }
    return Optional.of(total);
  }

  private Optional<Instant> currentStepEnd() {
    StepProgress p = progress.get();
    return p.stepEta().or(() -> p.stepStartedAt().flatMap(started ->
        currentStepExpected().map(started::plus)));
  }

  /**
   * The current step's expected duration on the night's table: the rehearsal's scaled by the
   * tables' sizes once the source has read the night's (at the step's start), else as configured.
   */
  public Optional<Duration> currentStepExpected() {
    return progress.filter(p -> p.step() >= 0).flatMap(p -> stepExpected(p.step()));
  }

  /**
   * How the current step's expected duration was worked out when it was scaled: "scaled from the
   * rehearsal: 12 h on 40 GB, now 52 GB"; empty when it is used as configured.
   */
  public Optional<String> currentStepExpectedWords() {
    return progress.filter(p -> p.step() >= 0).flatMap(p -> stepExpectedWords(p.step()));
  }

  /**
   * Step {@code index}'s expected duration on the night's data: the rehearsal's scaled by the
   * night's table size over the rehearsal's once the source has read it (the current step's at
   * its start, a later step's before it starts), else as configured.
   */
  public Optional<Duration> stepExpected(int index) {
    return migration.steps().get(index).expectedOn(nightVolume(index));
  }

  /** How step {@code index}'s expected duration was scaled, in words; empty when it was not. */
  public Optional<String> stepExpectedWords(int index) {
    return migration.steps().get(index).scaledWords(nightVolume(index));
  }

  private Optional<RelationVolume> nightVolume(int index) {
    return progress.flatMap(p -> p.volumeOf(index));
  }

  /** What the source measured of step {@code step}'s last attempt, if it finished and was measured. */
  public Optional<StepMeasure> measureOf(int step) {
    List<StepAttempt> attempts = progress.map(StepProgress::attempts).orElse(List.of());
    for (int i = attempts.size() - 1; i >= 0; i--) {
      if (attempts.get(i).step() == step) {
        return attempts.get(i).measure();
      }
    }
    return Optional.empty();
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
      Optional<Duration> expected = stepExpected(i);
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
   * needed figure is missing, and whenever an end time would mislead: before the start (it would
   * slide forward forever), while a lock blocks the step, once interrupted, unknown or done.
   */
  public Optional<Instant> eta(Instant now) {
    MigrationState state = state(now);
    if (state != MigrationState.RUNNING && state != MigrationState.SILENT) {
      return Optional.empty();
    }
    StepProgress p = progress.get();
    List<StepDefinition> steps = migration.steps();
    Optional<Instant> stepEnd = currentStepEnd();
    if (stepEnd.isEmpty()) {
      return Optional.empty();
    }
    Instant end = stepEnd.get().isBefore(now) ? now : stepEnd.get();
    int next = p.step() + 1;
    for (int i = next; i < steps.size(); i++) {
      Optional<Duration> expected = stepExpected(i);
      if (expected.isEmpty()) {
        return Optional.empty();
      }
      end = end.plus(expected.get());
    }
    return Optional.of(end);
  }
}
