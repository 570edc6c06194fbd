package io.migrationexporter.event;

import io.migrationexporter.migration.RelationVolume;
import io.migrationexporter.migration.StepMeasure;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A change worth telling: a phase entered, a check or gate changing state, a step reached, a
 * configuration reloaded or refused.
 *
 * @param sequence increasing number, so clients can ask for what came after the last one they saw
 * @param type phase, check, gate, step, config
 * @param subject the phase, check, gate or migration name
 * @param volume for a step's start, the size of the table it rewrites, if the source read it
 * @param measure for the end of a step (the step event that leaves it), what the source measured
 *     of it, if it measures steps
 */
public record Event(long sequence, Instant at, String type, String subject, String from,
    String to, String message, Optional<RelationVolume> volume, Optional<StepMeasure> measure) {

  public Event(long sequence, Instant at, String type, String subject, String from, String to,
      String message, Optional<RelationVolume> volume) {
    this(sequence, at, type, subject, from, to, message, volume, Optional.empty());
  }

  public Event(long sequence, Instant at, String type, String subject, String from, String to,
      String message) {
    this(sequence, at, type, subject, from, to, message, Optional.empty());
  }

  public Event {
    Objects.requireNonNull(volume);
    Objects.requireNonNull(measure);
  }
}
