package io.migrationexporter.source.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.demo.fakes.Fault;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatadogSourceTest {
  static final String API_KEY = "dd-test-api-key-00000001";
  static final String APP_KEY = "dd-test-app-key-00000001";
  static final String LOGS = "datadog-logs:pix/answers";
  static final Duration WAIT = Duration.ofSeconds(15);
  static final String HOST = "pix-api-production-one-off-1166";
  static final String OTHER_HOST = "pix-api-production-one-off-1167";

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

  /** The four Pix steps, each with its In progress and Done lines. */
  static String steps() {
    StringBuilder steps = new StringBuilder("[\n");
    String[][] pix = {
        {"answers-id", "answers.id", "510m"},
        {"ke-answer-id", "knowledge-elements.answerId", "1s"},
        {"flash-answers", "flash-assessment-results.answerId", "4h"},
        {"sequence", "answers_id_seq", "1s"}};
    for (String[] step : pix) {
      String quoted = step[1].replace(".", "\\\\.");
      steps.append("  { name = ").append(step[0]).append(", expected-duration = ").append(step[2])
          .append(", start = \"Altering ").append(quoted).append(" type to BIGINT - In progress\"")
          .append(", done = \"Altering ").append(quoted).append(" type to BIGINT - Done\" }\n");
    }
    return steps.append("]").toString();
  }

  void startExporter(String window, String pageSize) throws Exception {
    startExporter(window, pageSize, "5m");
  }

  /** @param silentAfter the migration's silent-after */
  void startExporter(String window, String pageSize, String silentAfter) throws Exception {
    exporter = TestExporter.start(dir, """
        sources.datadog.pix {
          url = "%s"
          api-key = "%s"
          application-key = "%s"
          timeout = 1s
          logs {
            answers {
              query = "service:pix-api-production \\"type to BIGINT\\""
              heartbeat-query = "service:pix-api-production alive"
              heartbeat = "^alive$"
              host = "one-off-1166$"
              window = %s
              page-size = %s
              interval = 200ms
              migrations {
                answers-bigint { title = "answers.id to bigint", silent-after = %s, steps = %s }
              }
            }
          }
          metrics {
            db-cpu { query = "avg:postgresql.cpu{app:pix-api}", interval = 200ms }
          }
        }
        # The default gate needs a check to look at.
        checks.fake-port { tcp { address = "127.0.0.1:%d" } }
        """.formatted(fake.url(), API_KEY, APP_KEY, window, pageSize, silentAfter, steps(),
        fake.port()));
  }

  void line(Instant at, String host, String message) {
    fake.log(at, host, "pix-api-production", message);
  }

  JsonNode awaitStep(int step, boolean done) {
    return Await.until("step " + step + (done ? " done" : ""),
        () -> exporter.migration("answers-bigint"),
        migration -> migration.get("known").asBoolean() && migration.get("step").asInt() == step
            && migration.get("done").asBoolean() == done, WAIT);
  }

  @Test
  void theStepComesFromTheLatestLineOfTheBoundHost() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant started = now.minus(Duration.ofHours(3));
    line(started, HOST, "Altering answers.id type to BIGINT - In progress");
    // Another migration container further on must not be taken for this one.
    line(now.minusSeconds(60), OTHER_HOST, "Altering flash-assessment-results.answerId type to BIGINT - In progress");
    line(now.minusSeconds(30), OTHER_HOST, "alive");
    line(now.minusSeconds(2), HOST, "alive");
    startExporter("24h", "1000");

    JsonNode migration = awaitStep(1, false);
    assertThat(migration.get("step_name").asText()).isEqualTo("answers-id");
    assertThat(migration.get("step_started_at").asText()).isEqualTo(started.toString());
    assertThat(migration.get("heartbeat_at").asText()).isEqualTo(now.minusSeconds(2).toString());
    assertThat(migration.get("detail").asText()).isEqualTo("on host " + HOST);
    assertThat(migration.has("eta")).as("the core derives the ETA from expected durations").isTrue();

    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    line(at.minusMillis(500), HOST, "Altering answers.id type to BIGINT - Done");
    line(at.minusMillis(400), HOST, "Altering knowledge-elements.answerId type to BIGINT - In progress");
    line(at.minusMillis(300), HOST, "Altering knowledge-elements.answerId type to BIGINT - Done");
    assertThat(awaitStep(3, false).get("step_started_at").asText())
        .as("a step without its start line yet starts when the previous one finished")
        .isEqualTo(at.minusMillis(300).toString());
    line(at.minusMillis(200), HOST, "Altering flash-assessment-results.answerId type to BIGINT - In progress");
    line(at.minusMillis(100), HOST, "Altering flash-assessment-results.answerId type to BIGINT - Done");
    line(at.minusMillis(50), HOST, "Altering answers_id_seq type to BIGINT - In progress");
    awaitStep(4, false);
    line(at, HOST, "Altering answers_id_seq type to BIGINT - Done");
    awaitStep(4, true);

    String metrics = exporter.metrics();
    assertThat(metrics)
        .contains("migration_done{migration=\"answers-bigint\"} 1")
        .contains("migration_datadog_host_step{account=\"pix\",host=\"" + HOST
            + "\",logs=\"answers\",migration=\"answers-bigint\"} 4.0")
        .doesNotContain(OTHER_HOST);
  }

  @Test
  void theStepSurvivesQuietPeriodsLongerThanTheWindow() throws Exception {
    startExporter("2s", "1000");
    awaitStep(0, false);
    Instant now = Instant.now();
    line(now, HOST, "Altering answers.id type to BIGINT - In progress");
    awaitStep(1, false);
    // Nothing but heartbeats from now on: the start line leaves the window.
    Instant out = now.plusSeconds(3);
    Await.until("the line to age out", () -> Instant.now().isAfter(out), WAIT);
    line(Instant.now(), HOST, "alive");
    int refreshes = exporter.source(LOGS).get("refreshes").asInt();
    Await.until("three more refreshes",
        () -> exporter.source(LOGS).get("refreshes").asInt() > refreshes + 2, WAIT);
    JsonNode migration = exporter.migration("answers-bigint");
    assertThat(migration.get("known").asBoolean()).isTrue();
    assertThat(migration.get("step").asInt()).isEqualTo(1);
    assertThat(exporter.metrics()).contains("migration_datadog_log_lines{account=\"pix\",logs=\"answers\"} 0");
  }

  @Test
  void pagesAreFollowedWithTheCursor() throws Exception {
    Instant now = Instant.now();
    line(now.minusSeconds(50), HOST, "Altering answers.id type to BIGINT - In progress");
    line(now.minusSeconds(40), HOST, "Altering answers.id type to BIGINT - Done");
    line(now.minusSeconds(30), HOST, "Altering knowledge-elements.answerId type to BIGINT - In progress");
    line(now.minusSeconds(20), HOST, "Altering knowledge-elements.answerId type to BIGINT - Done");
    line(now.minusSeconds(10), HOST, "Altering flash-assessment-results.answerId type to BIGINT - In progress");
    startExporter("1h", "2");
    JsonNode migration = awaitStep(3, false);
    assertThat(migration.get("step_started_at").asText()).isEqualTo(now.minusSeconds(10).toString());
    assertThat(fake.requests("POST /api/v2/logs/events/search")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void aMetricQueryExposesItsLastPoint() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    fake.point("avg:postgresql.cpu{app:pix-api}", now.minusSeconds(120), 40);
    fake.point("avg:postgresql.cpu{app:pix-api}", now.minusSeconds(60), 87.5);
    startExporter("1h", "1000");
    exporter.awaitSource("datadog-metric:pix/db-cpu", true, WAIT);
    assertThat(exporter.metrics())
        .contains("migration_datadog_metric_value{account=\"pix\",metric=\"db-cpu\",scope=\"app:pix-api\"} 87.5")
        .contains("migration_datadog_metric_series{account=\"pix\",metric=\"db-cpu\"} 1");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "UNAUTHORIZED, auth, 'Datadog refused the credentials (HTTP 401)'",
      "FORBIDDEN, auth, 'Datadog refused the credentials (HTTP 403)'",
      "NOT_FOUND, not-found, 'Datadog answered HTTP 404: not found'",
      "RATE_LIMITED, rate-limited, 'Datadog rate limit reached (HTTP 429), next try in 1s (X-RateLimit-Reset)'",
      "SERVER_ERROR, server, 'Datadog failed (HTTP 500)'",
      "HANG, timeout, 'Datadog did not answer within 1s'",
      "TRUNCATED_JSON, bad-payload, 'Datadog answered with invalid or unexpected JSON (truncated)'",
      "HTML, bad-payload, 'Datadog answered with an HTML page instead of JSON (HTTP 200)'",
      "HUGE_BODY, bad-payload, 'Datadog answered with more than 4MiB, the body limit'",
  })
  void everyFaultIsClassifiedAndTheSourceRecoversOnceItClears(Fault fault, String kind,
      String words) throws Exception {
    line(Instant.now().minusSeconds(5), HOST, "Altering answers.id type to BIGINT - In progress");
    startExporter("1h", "1000");
    awaitStep(1, false);
    fake.fault(fault);
    JsonNode source = exporter.awaitSource(LOGS, false, WAIT);
    assertThat(source.get("last_error_kind").asText()).isEqualTo(kind);
    assertThat(source.get("last_error").asText()).isEqualTo(words);
    assertThat(exporter.migration("answers-bigint").get("known").asBoolean()).isFalse();

    fake.clearFaults();
    long cleared = System.nanoTime();
    exporter.awaitSource(LOGS, true, WAIT);
    assertThat(Duration.ofNanos(System.nanoTime() - cleared))
        .isLessThan(Duration.ofMillis(200 + 1000 + 1500));
    awaitStep(1, false);
  }

  private JsonNode awaitState(String state) {
    return Await.until("migration " + state, () -> exporter.migration("answers-bigint"),
        migration -> migration.path("state").asText().equals(state), WAIT);
  }

  /** The states the migration goes through over the next {@code refreshes} refreshes. */
  private List<String> statesOver(int refreshes) {
    List<String> states = new ArrayList<>();
    long until = exporter.source(LOGS).path("refreshes").asLong() + refreshes;
    Await.until(refreshes + " more refreshes", () -> {
      states.add(exporter.migration("answers-bigint").path("state").asText());
      return exporter.source(LOGS).path("refreshes").asLong() >= until;
    }, WAIT);
    return states;
  }

  @Test
  void heartbeatsThatStopMakeTheMigrationSilentNeverRunningAndARestartKeepsItSilent()
      throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    line(now.minus(Duration.ofHours(1)), HOST, "Altering answers.id type to BIGINT - In progress");
    startExporter("24h", "1000", "6s");
    Instant lastBeat = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    line(lastBeat, HOST, "alive");
    assertThat(awaitState("running").path("heartbeat_at").asText()).isEqualTo(lastBeat.toString());

    // the heartbeats stop
    JsonNode silent = awaitState("silent");
    assertThat(silent.path("heartbeat_at").asText()).isEqualTo(lastBeat.toString());
    assertThat(silent.path("state_words").asText()).startsWith("Silent: no sign of life for");
    assertThat(statesOver(3)).as("states once silent").containsOnly("silent");

    exporter.close();
    startExporter("24h", "1000", "6s");
    exporter.awaitSource(LOGS, true, WAIT);
    List<String> states = statesOver(3);
    assertThat(states).as("states after the restart").containsOnly("silent");
    JsonNode restarted = exporter.migration("answers-bigint");
    assertThat(restarted.path("heartbeat_at").asText()).isEqualTo(lastBeat.toString());
    assertThat(restarted.path("step_name").asText()).isEqualTo("answers-id");
    assertThat(exporter.scrape().get("migration_heartbeat_timestamp_seconds", "migration",
        "answers-bigint")).isEqualTo(lastBeat.toEpochMilli() / 1e3);
  }

  @Test
  void theDefaultHeartbeatWindowFindsAHeartbeatOlderThanTheSilentAlert() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    line(now.minus(Duration.ofHours(1)), HOST, "Altering answers.id type to BIGINT - In progress");
    // 20 min: past the MigrationSilent alert (silent-after 5 min, then 1 min), within 30 min
    Instant lastBeat = now.minus(Duration.ofMinutes(20));
    line(lastBeat, HOST, "alive");
    startExporter("24h", "1000", "5m");
    JsonNode migration = awaitState("silent");
    assertThat(migration.path("heartbeat_at").asText())
        .as("an exporter started after the silence still finds the heartbeat")
        .isEqualTo(lastBeat.toString());
    assertThat(migration.path("heartbeat_age_seconds").asDouble())
        .isGreaterThanOrEqualTo(Duration.ofMinutes(20).toSeconds());
  }
}
