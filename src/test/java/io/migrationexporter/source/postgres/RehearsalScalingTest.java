package io.migrationexporter.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.event.Event;
import io.migrationexporter.event.JournalFile;
import io.migrationexporter.migration.MigrationStatus;
import io.migrationexporter.migration.RelationVolume;
import io.migrationexporter.migration.StepDefinition;
import io.migrationexporter.migration.Words;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.Cli;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rehearsal flow on a real PostgreSQL: two steps rehearsed on tables of one size, the journal
 * turned into expectations by {@code report --expectations}, then the night on tables twice as
 * big: each step's expected duration is the rehearsal's scaled by the tables' sizes (the second
 * one's from before it starts, its table named by the rehearsal), the migration's ETA adds them,
 * and /api/status says so.
 */
class RehearsalScalingTest {
  private static final int REHEARSAL_ROWS = 4_000;
  private static final int NIGHT_ROWS = 2 * REHEARSAL_ROWS;
  /** A sleep per row keeps the step running for seconds, so that every scrape sees it. */
  private static final String STEP = "ALTER TABLE lines ALTER COLUMN id TYPE BIGINT"
      + " USING id + 0 * length(pg_sleep(0.0002)::text)";
  private static final String SECOND_STEP = "ALTER TABLE items ALTER COLUMN id TYPE BIGINT"
      + " USING id + 0 * length(pg_sleep(0.0002)::text)";
  private static final Duration LONG = Duration.ofSeconds(90);

  private static PgTestServer server;
  private static String database;
  @TempDir Path dir;

  @BeforeAll
  static void createDatabase() {
    server = PgTestServer.shared();
    database = server.createDatabase("rehearsal_test");
  }

  @Test
  void theNightsExpectedDurationIsTheRehearsalsScaledToTheNightsTable() throws Exception {
    Path journal = dir.resolve("rehearsal.journal.jsonl");
    String rehearsal = config("events.journal-file = \"" + journal + "\"\n");
    table(REHEARSAL_ROWS);
    Path rehearsalDir = Files.createDirectories(dir.resolve("rehearsal"));
    try (TestExporter exporter = TestExporter.start(rehearsalDir, rehearsal)) {
      runSteps(exporter, status -> { });
    }
    Event started = JournalFile.readAll(journal).stream()
        .filter(e -> e.type().equals("step") && e.to().startsWith("step 1 of 2"))
        .findFirst().orElseThrow();
    RelationVolume rehearsed = started.volume().orElseThrow(
        () -> new AssertionError("no volume in the step's start: " + started));
    assertThat(rehearsed.rows()).isEqualTo(REHEARSAL_ROWS);
    assertThat(rehearsed.table()).hasValue("lines");
    // The event that leaves the step tells the WAL it wrote: the rewrite of the whole table.
    Event ended = JournalFile.readAll(journal).stream()
        .filter(e -> e.type().equals("step") && "done".equals(e.to())).findFirst().orElseThrow();
    assertThat(ended.measure().orElseThrow(() -> new AssertionError("no measure: " + ended))
        .walBytes()).isGreaterThan(rehearsed.bytes());

    Path fragment = dir.resolve("rehearsal-expectations.conf");
    Cli.Result report = Cli.run("report", "--config",
        rehearsalDir.resolve(TestExporter.CONFIG_NAME).toString(), "--journal", journal.toString(),
        "--output", dir.resolve("report").toString(), "--expectations", fragment.toString());
    assertThat(report.exit()).as(report.all()).isZero();
    assertThat(Files.readString(fragment)).contains("id.measured-on { table = \"lines\", bytes = "
        + rehearsed.bytes() + ", rows = " + REHEARSAL_ROWS + " }",
        "items-id.measured-on { table = \"items\", bytes = ");

    table(NIGHT_ROWS);
    Path nightDir = Files.createDirectories(dir.resolve("night"));
    try (TestExporter exporter = TestExporter.start(nightDir,
        config("include file(\"" + fragment + "\")\n"))) {
      List<StepDefinition> steps = exporter.exporter().runtime().board(Instant.now()).migrations()
          .get(0).migration().steps();
      assertThat(steps.get(0).measuredOn()).hasValue(rehearsed);
      Duration rehearsedDuration = steps.get(0).expected().orElseThrow();
      Duration rehearsedSecond = steps.get(1).expected().orElseThrow();
      RelationVolume rehearsedItems = steps.get(1).measuredOn().orElseThrow();
      // Before the night starts, both tables are read: the total is the night's.
      MigrationStatus before = Await.until("both tables read before the start",
          () -> status(exporter), status -> status.stepExpectedWords(1).isPresent()
              && status.stepExpectedWords(0).isPresent(), LONG);
      assertThat(before.timeWords(Instant.now())).isEqualTo("about "
          + Words.duration(before.stepExpected(0).orElseThrow()
              .plus(before.stepExpected(1).orElseThrow())) + " once started");
      runSteps(exporter, status -> {
        RelationVolume night = status.progress().orElseThrow().stepVolume().orElseThrow();
        assertThat(night.rows()).isEqualTo(NIGHT_ROWS);
        double ratio = (double) night.bytes() / rehearsed.bytes();
        assertThat(ratio).isBetween(1.8, 2.2);
        assertThat(status.currentStepExpected().orElseThrow().toMillis())
            .isEqualTo(Math.round(rehearsedDuration.toMillis() * ratio));
        // The later step, scaled by its own table read before it starts.
        RelationVolume items = status.progress().orElseThrow().volumeOf(1).orElseThrow();
        assertThat(items.table()).hasValue("items");
        Duration second = Duration.ofMillis(Math.round(rehearsedSecond.toMillis()
            * (double) items.bytes() / rehearsedItems.bytes()));
        assertThat(status.stepExpected(1)).hasValue(second);
        assertThat((double) second.toMillis() / rehearsedSecond.toMillis()).isBetween(1.8, 2.2);
        JsonNode api = exporter.migration("widen");
        assertThat(api.path("step_expected_words").asText()).startsWith(
            "scaled from the rehearsal: ").endsWith(" on "
            + Words.bytes(rehearsed.bytes()) + ", now "
            + Words.bytes(night.bytes()));
        assertThat(api.path("step_list").get(1).path("expected_words").asText())
            .endsWith(" on " + Words.bytes(rehearsedItems.bytes()) + ", now "
                + Words.bytes(items.bytes()));
        // The migration's end: this step's end plus the second step scaled.
        Instant now = Instant.now();
        Instant stepEnd = status.progress().orElseThrow().stepEta().orElse(status.progress()
            .orElseThrow().stepStartedAt().orElseThrow().plus(status.currentStepExpected()
                .orElseThrow()));
        status.eta(now).ifPresent(eta -> assertThat(eta).isEqualTo(
            (stepEnd.isBefore(now) ? now : stepEnd).plus(second)));
      });
    }
  }

  private static String config(String more) {
    return PgSources.source(server, "pix", database, """
        interval = 100ms
        migration-sessions.application-names = [pix-migration]
        migrations.widen {
          steps = [ { name = id, expected-duration = 1s,
                      query-regex = "ALTER TABLE lines ALTER COLUMN id TYPE BIGINT" },
                    { name = items-id, expected-duration = 1s,
                      query-regex = "ALTER TABLE items ALTER COLUMN id TYPE BIGINT" } ]
        }
        """) + more;
  }

  private static void table(int rows) throws Exception {
    try (Connection app = server.client(database, "app", "setup");
        Statement sql = app.createStatement()) {
      for (String table : List.of("lines", "items")) {
        sql.execute("DROP TABLE IF EXISTS " + table);
        sql.execute("CREATE TABLE " + table + " (id integer NOT NULL, payload text NOT NULL)");
        sql.execute("INSERT INTO " + table + " SELECT g, md5(g::text) FROM generate_series(1, "
            + rows + ") g");
        sql.execute("VACUUM ANALYZE " + table);
      }
    }
  }

  interface WhileRunning {
    void check(MigrationStatus status) throws Exception;
  }

  /**
   * Runs both steps in the migration's session once the exporter watches; {@code whileRunning}
   * checks the status the first time the exporter sees the first step rewriting; then awaits
   * done.
   */
  private static void runSteps(TestExporter exporter, WhileRunning whileRunning)
      throws Exception {
    Await.until("a first reading", () -> status(exporter).known(), LONG);
    try (Connection migration = server.client(database, "app", "pix-migration")) {
      CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
        try (Statement sql = migration.createStatement()) {
          sql.execute(STEP);
          sql.execute(SECOND_STEP);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      MigrationStatus rewriting = Await.until("the step seen rewriting", () -> status(exporter),
          status -> status.progress().flatMap(p -> p.stepVolume()).isPresent(), LONG);
      whileRunning.check(rewriting);
      running.get(LONG.toSeconds(), TimeUnit.SECONDS);
      Await.until("the migration done", () -> status(exporter).done(), LONG);
    }
  }

  private static MigrationStatus status(TestExporter exporter) {
    List<MigrationStatus> migrations = exporter.exporter().runtime()
        .board(Instant.now().plusSeconds(2)).migrations();
    return migrations.get(0);
  }
}
