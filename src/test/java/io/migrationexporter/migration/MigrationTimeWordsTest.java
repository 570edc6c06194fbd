package io.migrationexporter.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The words of a migration's state and time, as /api/status, the board and the events say them. */
class MigrationTimeWordsTest {
  private static final Instant NOW = Instant.parse("2026-07-14T23:00:00Z");
  private static final MigrationDefinition MIGRATION = new MigrationDefinition("bigint",
      "answers.id to bigint", "test", List.of(
          new StepDefinition("column", "Alter the column", Optional.of(Duration.ofMinutes(60))),
          new StepDefinition("key", "Alter the key", Optional.of(Duration.ofMinutes(10)))));

  private static MigrationStatus inStep(int step, Duration running, Duration quiet,
      String detail) {
    return MigrationStatus.of(MIGRATION, new StepProgress(step, false,
        Optional.of(NOW.minus(running)), OptionalDouble.empty(), Optional.empty(),
        Optional.of(NOW.minus(quiet)), detail));
  }

  @Test
  void beforeTheStartTheExpectedDurationAndNoEndTime() {
    MigrationStatus status = MigrationStatus.of(MIGRATION, StepProgress.notStarted());
    assertThat(status.timeWords(NOW)).isEqualTo("about 1 h 10 min once started");
    assertThat(status.eta(NOW)).isEmpty();
  }

  @Test
  void runningEndsInAboutOrWithinAMinuteNeverInZeroSeconds() {
    assertThat(inStep(0, Duration.ofMinutes(20), Duration.ofSeconds(3), "").timeWords(NOW))
        .isEqualTo("ends in about 50 min");
    MigrationStatus dueNow = inStep(1, Duration.ofMinutes(10).minusMillis(400),
        Duration.ofSeconds(3), "");
    assertThat(dueNow.timeWords(NOW)).isEqualTo("ends within a minute");
    MigrationStatus justDue = inStep(1, Duration.ofMinutes(10).plusMillis(400),
        Duration.ofSeconds(3), "");
    assertThat(justDue.timeWords(NOW)).isEqualTo("ends within a minute");
  }

  @Test
  void pastTheEstimateOverdueWithWhatTheStepDoesAndNoEndInThePast() {
    MigrationStatus late = inStep(1, Duration.ofMinutes(14), Duration.ofSeconds(3),
        "sorting an index");
    assertThat(late.timeWords(NOW)).isEqualTo("overdue by 4 min (sorting an index)");
    assertThat(late.eta(NOW)).hasValue(NOW);
  }

  @Test
  void whileWaitingWhoBlocksItForHowLongAndNoCountdown() {
    MigrationStatus waiting = MigrationStatus.of(MIGRATION, new StepProgress(0, false,
        Optional.of(NOW.minus(Duration.ofMinutes(3))), OptionalDouble.empty(), Optional.empty(),
        Optional.of(NOW), "", Optional.of(new Waiting("night-shift", "psql",
            NOW.minus(Duration.ofMinutes(2)))), Optional.empty(), List.of()));
    assertThat(waiting.state(NOW)).isEqualTo(MigrationState.WAITING);
    assertThat(waiting.timeWords(NOW)).isEqualTo("blocked for 2 min by psql (night-shift)");
    assertThat(waiting.eta(NOW)).isEmpty();
  }

  @Test
  void silentSaysSoAndItsEstimateHoldsOnlyIfItStillRuns() {
    MigrationStatus silent = inStep(0, Duration.ofMinutes(20), Duration.ofMinutes(7), "");
    assertThat(silent.state(NOW)).isEqualTo(MigrationState.SILENT);
    assertThat(silent.stateWords(NOW)).isEqualTo("Silent: no sign of life for 7 min");
    assertThat(silent.timeWords(NOW)).isEqualTo("ends in about 50 min if it still runs");
  }

  @Test
  void interruptedSaysWhatHappenedAndTheAttempt() {
    Instant first = NOW.minus(Duration.ofHours(2));
    Instant second = NOW.minus(Duration.ofMinutes(30));
    MigrationStatus interrupted = MigrationStatus.of(MIGRATION, new StepProgress(0, false,
        Optional.of(second), OptionalDouble.empty(), Optional.empty(), Optional.of(NOW), "",
        Optional.empty(), Optional.of(new Interruption("its session ended", 0,
            NOW.minus(Duration.ofMinutes(3)))),
        List.of(new StepAttempt(0, first, Optional.of(first.plusSeconds(60)),
                StepAttempt.INTERRUPTED),
            new StepAttempt(0, second, Optional.of(NOW.minus(Duration.ofMinutes(3))),
                StepAttempt.INTERRUPTED))));
    assertThat(interrupted.stateWords(NOW))
        .isEqualTo("Interrupted: its session ended (attempt 2 of step 1)");
    assertThat(interrupted.timeWords(NOW))
        .isEqualTo("interrupted 3 min ago, no estimate until the step runs again");
    assertThat(interrupted.eta(NOW)).isEmpty();
  }
}
