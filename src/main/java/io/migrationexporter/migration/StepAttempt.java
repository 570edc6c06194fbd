package io.migrationexporter.migration;

import java.time.Instant;
import java.util.Optional;

/**
 * One attempt at a step: steps may be run again after an interruption, and each run is kept.
 *
 * @param step index of the step
 * @param ended when the attempt ended, empty while it runs
 * @param outcome {@link #RUNNING}, {@link #FINISHED} or {@link #INTERRUPTED}
 * @param measure what the source measured of the attempt once it finished, if it measures steps
 */
public record StepAttempt(int step, Instant started, Optional<Instant> ended, String outcome,
    Optional<StepMeasure> measure) {
  public static final String RUNNING = "running";
  public static final String FINISHED = "finished";
  public static final String INTERRUPTED = "interrupted";

  public StepAttempt(int step, Instant started, Optional<Instant> ended, String outcome) {
    this(step, started, ended, outcome, Optional.empty());
  }

  public StepAttempt ended(Instant at, String how, Optional<StepMeasure> measured) {
    return new StepAttempt(step, started, Optional.of(at), how, measured);
  }

  public StepAttempt ended(Instant at, String how) {
    return ended(at, how, Optional.empty());
  }
}
