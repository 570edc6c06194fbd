package io.migrationexporter.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * A step measured in a rehearsal on a table of one size is expected, on the night, to take the
 * rehearsal's time scaled by the night's table size over the rehearsal's, once the night's size
 * is known, and says so.
 */
class ScaledExpectationTest {
  private static final Instant NOW = Instant.parse("2026-12-05T02:00:00Z");
  private static final Instant STARTED = NOW.minus(Duration.ofHours(1));
  private static final MigrationDefinition MIGRATION = new MigrationDefinition("bigint",
      "answers.id to bigint", "test", List.of(
          new StepDefinition("column", "Alter the column", Optional.of(Duration.ofHours(12)),
              Optional.of(new RelationVolume(40_000_000_000L, 300_000_000))),
          new StepDefinition("key", "Alter the key", Optional.of(Duration.ofMinutes(10)))));

  private static MigrationStatus inFirstStep(Optional<RelationVolume> night) {
    return MigrationStatus.of(MIGRATION, new StepProgress(0, false, Optional.of(STARTED),
        OptionalDouble.empty(), Optional.empty(), Optional.of(NOW), "", Optional.empty(),
        Optional.empty(), List.of(), night));
  }

  @Test
  void onABiggerTableTheStepIsExpectedToTakeLongerAndTheStatusSaysWhy() {
    MigrationStatus status = inFirstStep(
        Optional.of(new RelationVolume(52_000_000_000L, 390_000_000)));

    assertThat(status.currentStepExpected()).hasValue(Duration.ofMinutes(936));
    assertThat(status.currentStepExpectedWords())
        .hasValue("scaled from the rehearsal: 12 h on 40 GB, now 52 GB");
    assertThat(status.eta(NOW)).hasValue(STARTED.plus(Duration.ofMinutes(936 + 10)));
    assertThat(status.timeWords(NOW)).isEqualTo("ends in about 14 h 46 min");
  }

  @Test
  void untilTheNightsSizeIsKnownTheRehearsalsFigureAsMeasured() {
    MigrationStatus status = inFirstStep(Optional.empty());

    assertThat(status.currentStepExpected()).hasValue(Duration.ofHours(12));
    assertThat(status.currentStepExpectedWords()).isEmpty();
    assertThat(status.eta(NOW)).hasValue(STARTED.plus(Duration.ofMinutes(12 * 60 + 10)));
    assertThat(MigrationStatus.of(MIGRATION, StepProgress.notStarted()).timeWords(NOW))
        .isEqualTo("about 12 h 10 min once started");
  }

  /**
   * A later step whose table the source read before it starts is scaled too: the ETA, the
   * overall progress and the total before the start use the night's figures, and say so.
   */
  @Test
  void aLaterStepIsScaledOnceItsTableIsReadBeforeItStarts() {
    MigrationDefinition migration = new MigrationDefinition("bigint", "answers.id to bigint",
        "test", List.of(
            new StepDefinition("key", "Alter the key", Optional.of(Duration.ofHours(2))),
            new StepDefinition("column", "Alter the column", Optional.of(Duration.ofHours(12)),
                Optional.of(new RelationVolume(Optional.of("answers"), 40_000_000_000L,
                    300_000_000)))));
    Map<Integer, RelationVolume> night = Map.of(1, new RelationVolume(Optional.of("answers"),
        52_000_000_000L, 390_000_000));
    MigrationStatus before = MigrationStatus.of(migration,
        StepProgress.notStarted().withUpcomingVolumes(night));
    MigrationStatus first = MigrationStatus.of(migration, new StepProgress(0, false,
        Optional.of(STARTED), OptionalDouble.of(0.5), Optional.empty(), Optional.of(NOW), "",
        Optional.empty(), Optional.empty(), List.of(), Optional.empty(), night));

    assertThat(before.timeWords(NOW)).isEqualTo("about 17 h 36 min once started");
    assertThat(first.stepExpected(1)).hasValue(Duration.ofMinutes(936));
    assertThat(first.stepExpectedWords(1))
        .hasValue("scaled from the rehearsal: 12 h on 40 GB, now 52 GB");
    assertThat(first.stepExpectedWords(0)).isEmpty();
    assertThat(first.eta(NOW)).hasValue(STARTED.plus(Duration.ofMinutes(120 + 936)));
    assertThat(first.overallRatio().getAsDouble()).isCloseTo(60.0 / 1056, within(1e-9));
    // Once past it, a step keeps the size it had at its start, not what it became.
    assertThat(MigrationStatus.of(migration, StepProgress.notStarted()).stepExpected(1))
        .hasValue(Duration.ofHours(12));
  }

  @Test
  void aStepWithoutTheRehearsalsSizeIsNotScaled() {
    StepDefinition guessed = new StepDefinition("key", "Alter the key",
        Optional.of(Duration.ofMinutes(10)));

    assertThat(guessed.expectedOn(Optional.of(new RelationVolume(52_000_000_000L, 1))))
        .hasValue(Duration.ofMinutes(10));
  }

  @Test
  void sizesAsPeopleSayThem() {
    assertThat(Words.bytes(52_000_000_000L)).isEqualTo("52 GB");
    assertThat(Words.bytes(1_500_000_000L)).isEqualTo("1.5 GB");
    assertThat(Words.bytes(2_000_000L)).isEqualTo("2 MB");
    assertThat(Words.bytes(800)).isEqualTo("800 B");
  }
}
