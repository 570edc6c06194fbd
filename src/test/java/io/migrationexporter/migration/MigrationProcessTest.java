package io.migrationexporter.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** What a migration's process (its pods) adds to what its own source sees of its steps. */
class MigrationProcessTest {
  static final Instant NOW = Instant.parse("2026-12-05T02:00:00Z");
  static final MigrationDefinition BIGINT = new MigrationDefinition("bigint", "bigint", "pg:pix",
      List.of(new StepDefinition("copy", "copy", Optional.of(Duration.ofHours(2))),
          new StepDefinition("swap", "swap", Optional.of(Duration.ofMinutes(5)))),
      Duration.ofMinutes(5));
  static final MigrationProcess ALIVE = new MigrationProcess(Optional.of(NOW), Optional.empty());

  static MigrationStatus onStep(int step, Instant started, Optional<Instant> heartbeat) {
    return MigrationStatus.of(BIGINT, new StepProgress(step, false, Optional.of(started),
        OptionalDouble.empty(), Optional.empty(), heartbeat, ""));
  }

  static MigrationProcess stopped(String reason, Instant at) {
    return new MigrationProcess(Optional.empty(), Optional.of(new MigrationProcess.Stop(reason,
        at)));
  }

  @Test
  void aRunningProcessKeepsALongStepRunningButNeverMovesAHeartbeatBack() {
    MigrationStatus quiet = onStep(0, NOW.minus(Duration.ofHours(1)), Optional.empty());
    assertThat(quiet.state(NOW)).isEqualTo(MigrationState.SILENT);
    assertThat(ALIVE.applyTo(quiet).state(NOW)).isEqualTo(MigrationState.RUNNING);

    MigrationStatus fresher = onStep(0, NOW.minusSeconds(60), Optional.of(NOW.plusSeconds(1)));
    assertThat(ALIVE.applyTo(fresher)).isSameAs(fresher);
  }

  @Test
  void unknownStaysUnknownAndOnlyTheStepsSayDone() {
    MigrationStatus unknown = MigrationStatus.unknown(BIGINT, "source unreachable");
    assertThat(ALIVE.applyTo(unknown)).isSameAs(unknown);

    MigrationStatus done = MigrationStatus.of(BIGINT, new StepProgress(1, true, Optional.empty(),
        OptionalDouble.empty(), Optional.empty(), Optional.empty(), ""));
    assertThat(stopped("Job pix-bigint ended before the last step", NOW).applyTo(done).state(NOW))
        .isEqualTo(MigrationState.DONE);
  }

  @Test
  void aStopInterruptsTheStepItHappenedInNotOneStartedAfterIt() {
    Instant started = NOW.minus(Duration.ofMinutes(30));
    MigrationStatus running = onStep(1, started, Optional.of(NOW));
    MigrationStatus interrupted = stopped("pod pix-bigint-x7k2p failed: OOMKilled",
        NOW.minusSeconds(10)).applyTo(running);
    assertThat(interrupted.state(NOW)).isEqualTo(MigrationState.INTERRUPTED);
    assertThat(interrupted.stateWords(NOW))
        .isEqualTo("Interrupted: pod pix-bigint-x7k2p failed: OOMKilled (attempt 1 of step 2)");

    MigrationStatus rerun = stopped("pod pix-bigint-x7k2p restarted 1 time",
        started.minusSeconds(1)).applyTo(running);
    assertThat(rerun.state(NOW)).isEqualTo(MigrationState.RUNNING);
  }

  @Test
  void aProcessThatDiesBeforeTheFirstStepInterruptsIt() {
    MigrationStatus notStarted = MigrationStatus.of(BIGINT, StepProgress.notStarted());
    MigrationStatus died = stopped("pod pix-bigint-x7k2p failed: Error", NOW).applyTo(notStarted);
    assertThat(died.stateWords(NOW))
        .isEqualTo("Interrupted: pod pix-bigint-x7k2p failed: Error (attempt 1 of step 1)");
  }

  @Test
  void theStepsSourceAndThePodsBothSayWhy() {
    StepProgress sessionEnded = new StepProgress(0, false, Optional.of(NOW.minusSeconds(600)),
        OptionalDouble.empty(), Optional.empty(), Optional.empty(), "", Optional.empty(),
        Optional.of(new Interruption("its session ended", 0, NOW.minusSeconds(5))), List.of());
    MigrationStatus both = stopped("pod pix-bigint-x7k2p failed: OOMKilled", NOW.minusSeconds(6))
        .applyTo(MigrationStatus.of(BIGINT, sessionEnded));
    assertThat(both.stateWords(NOW)).isEqualTo("Interrupted: its session ended; pod"
        + " pix-bigint-x7k2p failed: OOMKilled (attempt 1 of step 1)");
  }
}
