package io.migrationexporter.migration;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a second source saw of the process that runs a migration (its Kubernetes pods), besides
 * what the migration's own source sees of its steps: a running process is a sign of life, a
 * process that failed, restarted or ended stops the step it was in.
 *
 * @param aliveAt when the process was seen running, empty when nothing of it runs (none yet, or
 *     only pods whose phase is unknown)
 * @param stop the last time the process stopped without its effect, if it did
 */
public record MigrationProcess(Optional<Instant> aliveAt, Optional<Stop> stop) {
  /**
   * The process stopped.
   *
   * @param reason what happened, in words ("pod pix-bigint-x7k2p failed: OOMKilled")
   * @param at when it happened, as far as the source knows
   */
  public record Stop(String reason, Instant at) {
    public Stop {
      Objects.requireNonNull(reason);
      Objects.requireNonNull(at);
    }
  }

  public MigrationProcess {
    Objects.requireNonNull(aliveAt);
    Objects.requireNonNull(stop);
  }

  /**
   * The migration with what its process says merged into its steps' progress. A running process
   * is a sign of life at {@link #aliveAt}. A stop after the current step started (or before any
   * step did) interrupts it, with the process's words beside those of the steps' source; a step
   * that started after the stop runs again. Done stays done: only the steps say a migration is
   * over. An unknown migration stays unknown.
   */
  public MigrationStatus applyTo(MigrationStatus status) {
    if (!status.known() || status.done()) {
      return status;
    }
    StepProgress progress = status.progress().orElseThrow();
    StepProgress merged = progress;
    if (aliveAt.isPresent()
        && progress.heartbeatAt().map(at -> at.isBefore(aliveAt.get())).orElse(true)) {
      merged = merged.withHeartbeat(aliveAt.get());
    }
    if (stop.isPresent() && stopsCurrentStep(progress, stop.get())) {
      Interruption seen = progress.interruption()
          .map(i -> new Interruption(i.reason() + "; " + stop.get().reason(), i.step(), i.at()))
          .orElse(new Interruption(stop.get().reason(), Math.max(0, progress.step()),
              stop.get().at()));
      merged = merged.withInterruption(seen);
    }
    return merged == progress ? status : status.withProgress(merged);
  }

  private static boolean stopsCurrentStep(StepProgress progress, Stop stop) {
    return progress.stepStartedAt().map(started -> !stop.at().isBefore(started)).orElse(true);
  }
}
