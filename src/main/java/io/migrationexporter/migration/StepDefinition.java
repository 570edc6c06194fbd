package io.migrationexporter.migration;

import java.time.Duration;
import java.util.Optional;

/**
 * One step of a migration as configured.
 *
 * @param expected how long the step is expected to take (from a rehearsal), if known
 * @param measuredOn the size of the table the rehearsal measured {@code expected} on, if it said:
 *     the night's expected duration is then scaled to the night's table ({@link #expectedOn})
 */
public record StepDefinition(String name, String title, Optional<Duration> expected,
    Optional<RelationVolume> measuredOn) {

  public StepDefinition(String name, String title, Optional<Duration> expected) {
    this(name, title, expected, Optional.empty());
  }

  /**
   * The expected duration on the night's table: the rehearsal's scaled by the ratio of the tables'
   * bytes (a rewrite's time follows the bytes it writes), once both sizes are known; else as
   * configured.
   */
  public Optional<Duration> expectedOn(Optional<RelationVolume> night) {
    if (expected.isEmpty() || measuredOn.isEmpty() || night.isEmpty()) {
      return expected;
    }
    double ratio = (double) night.get().bytes() / measuredOn.get().bytes();
    return Optional.of(Duration.ofMillis(Math.round(expected.get().toMillis() * ratio)));
  }

  /**
   * How {@link #expectedOn} scaled the expected duration, in words: "scaled from the rehearsal:
   * 12 h on 40 GB, now 52 GB"; empty when it did not.
   */
  public Optional<String> scaledWords(Optional<RelationVolume> night) {
    if (expected.isEmpty() || measuredOn.isEmpty() || night.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("scaled from the rehearsal: " + Words.duration(expected.get()) + " on "
        + Words.bytes(measuredOn.get().bytes()) + ", now " + Words.bytes(night.get().bytes()));
  }
}
