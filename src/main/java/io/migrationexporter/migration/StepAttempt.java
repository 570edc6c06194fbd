package io.migrationexporter.migration;

import java.time.Instant;
import java.util.Optional;

/**
 * One attempt at a step: steps may be run again after an interruption, and each run is kept.
 *
 * @param step index of the step
 * @param ended when the attempt ended, empty while it runs
 * @param outcome {@link #RUNNING}, {@link #FINISHED} or {@link #INTERRUPTED}
 */
public record StepAttempt(int step, Instant started, Optional<Instant> ended, String outcome) {
  public static final String RUNNING = "running";
  public static final String FINISHED = "finished";
  public static final String INTERRUPTED = "interrupted";

  public StepAttempt ended(Instant at, String how) {
    return new StepAttempt(step, started, Optional.of(at), how);
  }
}
