package io.migrationexporter.migration;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a source saw of one migration at one refresh.
 *
 * @param step index of the current step in the definition, -1 before the first one started
 * @param done true once the last step finished
 * @param stepStartedAt when the current step started, if the source knows
 * @param stepRatio measured progress of the current step, 0 to 1, if the source can measure it
 * @param stepEta when the current step should end by the source's measure, if it has one
 * @param heartbeatAt the last sign of life of the migration process, if the source sees one
 * @param detail what the step is doing now, in words ("rewriting the table", "sorting an
 *     index"), or empty
 * @param waiting the lock the current step waits for, if it waits on one
 * @param interruption how the current step ended without its effect, until it starts again
 * @param attempts the attempts at steps the source saw, oldest first
 * @param stepVolume the size of the table the current step rewrites, read at its start, if the
 *     source reads it
 * @param upcomingVolumes by step index, the size of the table a later step will rewrite, read
 *     before it starts, for the steps whose table the source knows (from a rehearsal)
 */
public record StepProgress(int step, boolean done, Optional<Instant> stepStartedAt,
    OptionalDouble stepRatio, Optional<Instant> stepEta, Optional<Instant> heartbeatAt,
    String detail, Optional<Waiting> waiting, Optional<Interruption> interruption,
    List<StepAttempt> attempts, Optional<RelationVolume> stepVolume,
    Map<Integer, RelationVolume> upcomingVolumes) {

  /** Progress from a source that reads the current step's table only. */
  public StepProgress(int step, boolean done, Optional<Instant> stepStartedAt,
      OptionalDouble stepRatio, Optional<Instant> stepEta, Optional<Instant> heartbeatAt,
      String detail, Optional<Waiting> waiting, Optional<Interruption> interruption,
      List<StepAttempt> attempts, Optional<RelationVolume> stepVolume) {
    this(step, done, stepStartedAt, stepRatio, stepEta, heartbeatAt, detail, waiting,
        interruption, attempts, stepVolume, Map.of());
  }

  /** Progress from a source that does not read the size of what a step rewrites. */
  public StepProgress(int step, boolean done, Optional<Instant> stepStartedAt,
      OptionalDouble stepRatio, Optional<Instant> stepEta, Optional<Instant> heartbeatAt,
      String detail, Optional<Waiting> waiting, Optional<Interruption> interruption,
      List<StepAttempt> attempts) {
    this(step, done, stepStartedAt, stepRatio, stepEta, heartbeatAt, detail, waiting,
        interruption, attempts, Optional.empty());
  }

  /** Progress from a source that sees neither locks nor interruptions. */
  public StepProgress(int step, boolean done, Optional<Instant> stepStartedAt,
      OptionalDouble stepRatio, Optional<Instant> stepEta, Optional<Instant> heartbeatAt,
      String detail) {
    this(step, done, stepStartedAt, stepRatio, stepEta, heartbeatAt, detail, Optional.empty(),
        Optional.empty(), List.of());
  }

  public StepProgress {
    Objects.requireNonNull(stepStartedAt);
    Objects.requireNonNull(stepRatio);
    Objects.requireNonNull(stepEta);
    Objects.requireNonNull(heartbeatAt);
    Objects.requireNonNull(detail);
    Objects.requireNonNull(waiting);
    Objects.requireNonNull(interruption);
    Objects.requireNonNull(stepVolume);
    attempts = List.copyOf(attempts);
    upcomingVolumes = Map.copyOf(upcomingVolumes);
    if (step < -1) {
      throw new IllegalArgumentException("step index " + step);
    }
    if (stepRatio.isPresent() && !(stepRatio.getAsDouble() >= 0 && stepRatio.getAsDouble() <= 1)) {
      throw new IllegalArgumentException("step ratio " + stepRatio.getAsDouble() + " is not in [0, 1]");
    }
  }

  public static StepProgress notStarted() {
    return new StepProgress(-1, false, Optional.empty(), OptionalDouble.empty(), Optional.empty(),
        Optional.empty(), "");
  }

  public StepProgress withHeartbeat(Instant at) {
    return new StepProgress(step, done, stepStartedAt, stepRatio, stepEta, Optional.of(at), detail,
        waiting, interruption, attempts, stepVolume, upcomingVolumes);
  }

  public StepProgress withUpcomingVolumes(Map<Integer, RelationVolume> volumes) {
    return new StepProgress(step, done, stepStartedAt, stepRatio, stepEta, heartbeatAt, detail,
        waiting, interruption, attempts, stepVolume, volumes);
  }

  /**
   * The size of the table step {@code index} rewrites on this night, as far as the source read
   * it: at the step's start for the current one, before it for a later one.
   */
  public Optional<RelationVolume> volumeOf(int index) {
    return index == step ? stepVolume : Optional.ofNullable(upcomingVolumes.get(index));
  }

  public StepProgress withInterruption(Interruption stopped) {
    return new StepProgress(step, done, stepStartedAt, stepRatio, stepEta, heartbeatAt, detail,
        waiting, Optional.of(stopped), attempts, stepVolume);
  }

  /** The newest sign of life: a heartbeat, or the current step's start. */
  public Optional<Instant> signOfLife() {
    if (heartbeatAt.isEmpty()) {
      return stepStartedAt;
    }
    if (stepStartedAt.isEmpty()) {
      return heartbeatAt;
    }
    return Optional.of(heartbeatAt.get().isAfter(stepStartedAt.get()) ? heartbeatAt.get()
        : stepStartedAt.get());
  }
}
