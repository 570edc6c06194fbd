package io.migrationexporter.source.datadog;

import static io.migrationexporter.source.datadog.DatadogSourceTest.API_KEY;
import static io.migrationexporter.source.datadog.DatadogSourceTest.APP_KEY;
import static io.migrationexporter.source.datadog.DatadogSourceTest.HOST;
import static io.migrationexporter.source.datadog.DatadogSourceTest.LOGS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.demo.fakes.FakeDatadog;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration followed through its Datadog heartbeat lines (fake Datadog API on loopback): once the
 * heartbeats stop it is silent, never running, and it stays silent across a restart of the
 * exporter, its last heartbeat served with its age.
 */
class DatadogHeartbeatTest {
  private static final String MIGRATION = "answers-bigint";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;
  FakeDatadog fake;
  TestExporter exporter;

  @BeforeEach
  void fake() {
    fake = new FakeDatadog(API_KEY, APP_KEY);
    fake.start();
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.close();
    }
    fake.close();
  }

  /** Follows the Pix steps with the default heartbeat window; {@code silentAfter} as given. */
  private TestExporter startExporter(String silentAfter) throws Exception {
    return TestExporter.start(dir, """
        sources.datadog.pix {
          url = "%s"
          api-key = "%s"
          application-key = "%s"
          timeout = 1s
          logs.answers {
            query = "service:pix-api-production \\"type to BIGINT\\""
            heartbeat-query = "service:pix-api-production alive"
            heartbeat = "^alive$"
            host = "one-off-1166$"
            interval = 200ms
            migrations.%s { title = "answers.id to bigint", silent-after = %s, steps = %s }
          }
        }
        checks.fake-port { tcp { address = "127.0.0.1:%d" } }
        """.formatted(fake.url(), API_KEY, APP_KEY, MIGRATION, silentAfter,
        DatadogSourceTest.steps(), fake.port()));
  }

  private void line(Instant at, String message) {
    fake.log(at, HOST, "pix-api-production", message);
  }

  private JsonNode awaitState(String state) {
    return Await.until("migration " + state, () -> exporter.migration(MIGRATION),
        migration -> migration.path("state").asText().equals(state), WAIT);
  }

  /** The states the migration goes through over the next {@code refreshes} refreshes. */
  private List<String> statesOver(int refreshes) {
    List<String> states = new ArrayList<>();
    long until = exporter.source(LOGS).path("refreshes").asLong() + refreshes;
    Await.until(refreshes + " more refreshes", () -> {
      states.add(exporter.migration(MIGRATION).path("state").asText());
      return exporter.source(LOGS).path("refreshes").asLong() >= until;
    }, WAIT);
    return states;
  }

  @Test
  void heartbeatsThatStopMakeTheMigrationSilentNeverRunningAndARestartKeepsItSilent()
      throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    line(now.minus(Duration.ofHours(1)), "Altering answers.id type to BIGINT - In progress");
    exporter = startExporter("6s");
    Instant lastBeat = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    line(lastBeat, "alive");
    assertThat(awaitState("running").path("heartbeat_at").asText()).isEqualTo(lastBeat.toString());

    // the heartbeats stop
    JsonNode silent = awaitState("silent");
    assertThat(silent.path("heartbeat_at").asText()).isEqualTo(lastBeat.toString());
    assertThat(silent.path("state_words").asText()).startsWith("Silent: no sign of life for");
    assertThat(statesOver(3)).as("states once silent").containsOnly("silent");

    exporter.close();
    exporter = startExporter("6s");
    exporter.awaitSource(LOGS, true, WAIT);
    List<String> states = statesOver(3);
    assertThat(states).as("states after the restart").containsOnly("silent");
    JsonNode restarted = exporter.migration(MIGRATION);
    assertThat(restarted.path("heartbeat_at").asText()).isEqualTo(lastBeat.toString());
    assertThat(restarted.path("step_name").asText()).isEqualTo("answers-id");
    assertThat(exporter.scrape().get("migration_heartbeat_timestamp_seconds", "migration",
        MIGRATION)).isEqualTo(lastBeat.toEpochMilli() / 1e3);
  }

  @Test
  void theDefaultHeartbeatWindowFindsAHeartbeatOlderThanTheSilentAlert() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    line(now.minus(Duration.ofHours(1)), "Altering answers.id type to BIGINT - In progress");
    // 20 min: past the MigrationSilent alert (silent-after 5 min, then 1 min), within 30 min
    Instant lastBeat = now.minus(Duration.ofMinutes(20));
    line(lastBeat, "alive");
    exporter = startExporter("5m");
    JsonNode migration = awaitState("silent");
    assertThat(migration.path("heartbeat_at").asText())
        .as("an exporter started after the silence still finds the heartbeat")
        .isEqualTo(lastBeat.toString());
    assertThat(migration.path("heartbeat_age_seconds").asDouble())
        .isGreaterThanOrEqualTo(Duration.ofMinutes(20).toSeconds());
  }
}
