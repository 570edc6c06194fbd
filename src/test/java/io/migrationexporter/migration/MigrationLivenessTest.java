package io.migrationexporter.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.board.ScriptedMigration;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.Scrape;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signs of life survive a restart of the exporter: a migration silent since before the restart is
 * still silent after it, with its old heartbeat and its real age, on the step it was on, even
 * though its source, started again, remembers nothing (a log window slid past the last heartbeat,
 * a database shows no session).
 */
class MigrationLivenessTest {
  private static final String NAME = "answers-bigint";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @Test
  void aMigrationSilentBeforeARestartIsStillSilentAfterItWithItsOldHeartbeatAndStep()
      throws Exception {
    ScriptedMigration migration = new ScriptedMigration(NAME, "answers.id to bigint", List.of(
        new StepDefinition("column", "Alter the referencing column", Optional.of(Duration.ofHours(6))),
        new StepDefinition("key", "Alter the primary key", Optional.of(Duration.ofHours(2))),
        new StepDefinition("sequence", "Alter the sequence", Optional.of(Duration.ofMinutes(1)))));
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant heartbeat = now.minus(Duration.ofMinutes(12));
    Instant stepStarted = now.minus(Duration.ofMinutes(40));
    migration.report(new StepProgress(1, false, Optional.of(stepStarted), OptionalDouble.empty(),
        Optional.empty(), Optional.of(heartbeat), ""));

    String config = TestExporter.ONE_CHECK + "defaults.interval = 500ms\n";
    Path livenessFile;
    try (TestExporter exporter = TestExporter.start(dir, config,
        plan -> ScriptedMigration.added(plan, migration))) {
      assertThat(awaitState(exporter, "silent").path("heartbeat_at").asText())
          .isEqualTo(heartbeat.toString());
      LivenessStore store = LivenessStore.nextTo(exporter.exporter().runtime().phases().stateFile());
      livenessFile = store.file();
      Await.until("the heartbeat saved", () -> {
        LivenessStore.Saved saved = store.load().get(NAME);
        return saved != null && saved.heartbeatAt().equals(heartbeat);
      }, WAIT);
    }

    // started again, the source knows nothing of the migration
    migration.report(StepProgress.notStarted());
    try (TestExporter exporter = TestExporter.start(dir, config,
        plan -> ScriptedMigration.added(plan, migration))) {
      assertThat(LivenessStore.nextTo(exporter.exporter().runtime().phases().stateFile()).file())
          .isEqualTo(livenessFile);
      exporter.awaitSource(migration.id(), true, WAIT);
      JsonNode status = awaitState(exporter, "silent");
      assertThat(status.path("heartbeat_at").asText()).isEqualTo(heartbeat.toString());
      assertThat(status.path("heartbeat_age_seconds").asDouble())
          .as("the heartbeat's real age, not the time since the restart")
          .isGreaterThanOrEqualTo(Duration.ofMinutes(12).toSeconds());
      assertThat(status.path("step_name").asText()).isEqualTo("key");
      assertThat(status.path("step_started_at").asText()).isEqualTo(stepStarted.toString());
      assertThat(status.path("state_words").asText()).isEqualTo("Silent: no sign of life for 12 min");
      assertThat(status.path("state_entered_at").asText())
          .as("silent since the heartbeat plus silent-after, not since the restart")
          .isEqualTo(heartbeat.plus(MigrationDefinition.DEFAULT_SILENT_AFTER).toString());

      Scrape scrape = exporter.scrape();
      assertThat(scrape.get("migration_heartbeat_timestamp_seconds", "migration", NAME))
          .isEqualTo(heartbeat.toEpochMilli() / 1e3);
      assertThat(scrape.get("migration_state", "migration", NAME, "state", "silent")).isEqualTo(1);
      assertThat(scrape.get("migration_state", "migration", NAME, "state", "running")).isZero();
      assertThat(scrape.get("migration_state", "migration", NAME, "state", "not_started")).isZero();
      assertThat(scrape.get("migration_step_index", "migration", NAME)).isEqualTo(2);
    }
  }

  private static JsonNode awaitState(TestExporter exporter, String state) {
    return Await.until("migration " + NAME + " " + state, () -> exporter.migration(NAME),
        status -> status.path("state").asText().equals(state), WAIT);
  }
}
