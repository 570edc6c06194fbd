package io.migrationexporter.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.collect.SourceState;
import io.migrationexporter.migration.MigrationStatus;
import io.migrationexporter.migration.StepProgress;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.TestExporter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real int to bigint migration, the Pix way, on a table of a million rows referenced by a
 * foreign key from another million rows, while the exporter is scraped over and over; and a
 * VACUUM FULL of a bloated table. Each step's real WAL is measured from another session and
 * compared with the estimate's expectation.
 */
class MigrationProgressTest {
  /** The estimate's error bound documented in docs/postgres.md. */
  static final double DOCUMENTED_ERROR = 0.15;
  private static final int ROWS = 1_000_000;

  private static PgTestServer server;
  private static String database;
  @TempDir Path dir;

  @BeforeAll
  static void createTables() throws Exception {
    server = PgTestServer.shared();
    database = server.createDatabase("bigint_test");
    try (Connection app = server.client(database, "app", "setup"); Statement sql = app.createStatement()) {
      sql.execute("""
          CREATE TABLE answers (id serial PRIMARY KEY, "challengeId" varchar(20) NOT NULL,
                                result varchar(10) NOT NULL, "createdAt" timestamptz NOT NULL)""");
      sql.execute("""
          INSERT INTO answers ("challengeId", result, "createdAt")
          SELECT 'rec' || (g % 5000), CASE WHEN g % 3 = 0 THEN 'ko' ELSE 'ok' END,
                 now() - g * interval '1 second'
          FROM generate_series(1, {rows}) g""".replace("{rows}", String.valueOf(ROWS)));
      sql.execute("""
          CREATE TABLE "knowledge-elements" (id serial PRIMARY KEY,
              "answerId" integer NOT NULL REFERENCES answers (id), source varchar(10) NOT NULL,
              "earnedPix" real NOT NULL)""");
      sql.execute("""
          INSERT INTO "knowledge-elements" ("answerId", source, "earnedPix")
          SELECT g, 'direct', (g % 8)::real FROM generate_series(1, {rows}) g"""
          .replace("{rows}", String.valueOf(ROWS)));
      sql.execute("CREATE INDEX ke_answer ON \"knowledge-elements\" (\"answerId\")");
      sql.execute("VACUUM ANALYZE answers");
      sql.execute("VACUUM ANALYZE \"knowledge-elements\"");
      // A table half dead after an update of every row (autovacuum off so that the dead rows
      // stay), then analyzed, as the docs advise before a window.
      sql.execute("""
          CREATE TABLE events WITH (autovacuum_enabled = off) AS
          SELECT g AS id, md5(g::text) AS payload, now() AS at FROM generate_series(1, {rows}) g"""
          .replace("{rows}", String.valueOf(ROWS)));
      sql.execute("ALTER TABLE events ADD PRIMARY KEY (id)");
      sql.execute("UPDATE events SET at = at + interval '1 day'");
      sql.execute("ANALYZE events");
      sql.execute("SELECT pg_stat_force_next_flush()");
    }
  }

  /** What the migration's session ran in one step, and the WAL it wrote, measured aside. */
  record StepWal(String step, long walBefore, long walAfter) {
    long written() {
      return walAfter - walBefore;
    }
  }

  /** What the scrapes saw while the migration ran. */
  record Followed(List<StepProgress> seen, Map<Integer, List<Double>> ratios,
      Map<Integer, Double> expectedBytes, List<String> details, List<StepWal> measured,
      boolean done) {
    List<Integer> steps() {
      return seen.stream().map(StepProgress::step).distinct().toList();
    }

    /** Asserts a monotonic ratio for {@code step} and returns the estimate's error. */
    double error(int step) {
      List<Double> series = ratios.get(step);
      assertThat(series).as("ratios of step " + step).isNotNull();
      StepWal wal = measured.get(step);
      double error = wal.written() / expectedBytes.get(step) - 1;
      System.out.printf(Locale.ROOT, "step %s: WAL written %d, expected %.0f, error %+.1f%%,"
          + " last running ratio %.3f, ratios seen %d%n", wal.step(), wal.written(),
          expectedBytes.get(step), error * 100, series.get(series.size() - 1), series.size());
      assertThat(series).as("ratios of step " + step).hasSizeGreaterThan(2);
      for (int i = 1; i < series.size(); i++) {
        assertThat(series.get(i)).as("ratio of step %d rises", step)
            .isGreaterThanOrEqualTo(series.get(i - 1));
      }
      return error;
    }
  }

  @Test
  void followsEveryStepWithAMonotonicEstimateUntilDone() throws Exception {
    Followed run = follow("""
        migrations.bigint {
          title = "answers.id to bigint"
          steps = [
            { name = ke-answer-id, expected-duration = 20s,
              query-regex = "ALTER TABLE \\"knowledge-elements\\" ALTER COLUMN \\"answerId\\" TYPE BIGINT" }
            { name = answers-id, expected-duration = 20s,
              query-regex = "ALTER TABLE \\"?answers\\"? ALTER COLUMN \\"?id\\"? TYPE BIGINT" }
            { name = sequence, expected-duration = 1s,
              query-regex = "ALTER SEQUENCE \\"?answers_id_seq\\"? AS BIGINT" }
          ]
        }
        """, List.of(
            new String[] {"ke-answer-id",
                "ALTER TABLE \"knowledge-elements\" ALTER COLUMN \"answerId\" TYPE BIGINT"},
            new String[] {"answers-id", "ALTER TABLE answers ALTER COLUMN id TYPE BIGINT"},
            new String[] {"sequence", "ALTER SEQUENCE answers_id_seq AS BIGINT"}));

    System.out.println("steps seen " + run.steps() + ", details " + run.details());
    assertThat(run.done()).as("done reached; last progress seen: "
        + run.seen().get(run.seen().size() - 1)).isTrue();
    assertThat(run.steps()).as("every step in order").containsExactly(-1, 0, 1, 2);
    assertThat(run.details()).contains("rewriting the table");
    for (int step = 0; step < 2; step++) {
      assertThat(Math.abs(run.error(step))).as("estimate error of step " + step)
          .isLessThanOrEqualTo(DOCUMENTED_ERROR);
    }
  }

  @Test
  void estimatesAVacuumFull() throws Exception {
    Followed run = follow("""
        migrations.compact {
          steps = [ { name = vacuum-full, expected-duration = 10s, query-regex = "VACUUM FULL" } ]
        }
        """, List.<String[]>of(new String[] {"vacuum-full", "VACUUM FULL events"}));
    assertThat(run.done()).isTrue();
    assertThat(Math.abs(run.error(0))).as("estimate error of VACUUM FULL")
        .isLessThanOrEqualTo(DOCUMENTED_ERROR);
  }

  /**
   * Starts an exporter following {@code migrations}, runs {@code steps} in a session named
   * pix-migration, and scrapes until done (or 150 s).
   */
  private Followed follow(String migrations, List<String[]> steps) throws Exception {
    String config = PgSources.source(server, "pix", database, """
          interval = 100ms
          migration-sessions.application-names = [pix-migration]
          """ + migrations);
    List<StepWal> measured = new ArrayList<>();
    CountDownLatch mayLeave = new CountDownLatch(1);
    try (TestExporter exporter = TestExporter.start(dir, config);
        Connection migration = server.client(database, "app", "pix-migration");
        Connection observer = server.admin(database);
        Statement walProbe = observer.createStatement()) {
      // The exporter watches before the migration starts, as it would in a maintenance window.
      Await.until("a first reading", () -> step(exporter).isPresent(), Duration.ofSeconds(10));
      StepProgress beforeStart = step(exporter).get();
      assertThat(beforeStart.step()).isEqualTo(-1);

      CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
        try (Statement sql = migration.createStatement()) {
          for (String[] step : steps) {
            // Measured from another session: the migration's session shows its step's statement.
            long before = lsn(walProbe);
            sql.execute(step[1]);
            measured.add(new StepWal(step[0], before, lsn(walProbe)));
          }
          // The session stays a moment, idle, as a script logging its end would.
          mayLeave.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });

      List<StepProgress> seen = new ArrayList<>(List.of(beforeStart));
      Map<Integer, List<Double>> ratios = new LinkedHashMap<>();
      Map<Integer, Double> expectedBytes = new LinkedHashMap<>();
      List<String> details = new ArrayList<>();
      Instant end = Instant.now().plusSeconds(150);
      boolean done = false;
      while (!done && Instant.now().isBefore(end)) {
        assertThat(exporter.get("/metrics").statusCode()).isEqualTo(200);
        Optional<StepProgress> progress = step(exporter);
        if (progress.isEmpty()) {
          continue;
        }
        StepProgress p = progress.get();
        if (!seen.get(seen.size() - 1).equals(p)) {
          seen.add(p);
        }
        if (p.stepRatio().isPresent() && p.step() >= 0 && !p.detail().startsWith("finished")) {
          ratios.computeIfAbsent(p.step(), k -> new ArrayList<>()).add(p.stepRatio().getAsDouble());
          expected(exporter).ifPresent(bytes -> expectedBytes.put(p.step(), bytes));
        }
        if (!p.detail().isEmpty()
            && (details.isEmpty() || !details.get(details.size() - 1).equals(p.detail()))) {
          details.add(p.detail());
        }
        done = p.done();
        Thread.sleep(50);
      }
      mayLeave.countDown();
      running.get(30, TimeUnit.SECONDS);
      if (done) {
        HttpResponse<String> metrics = exporter.get("/metrics");
        assertThat(metrics.body()).containsPattern("migration_done\\{migration=\"[a-z]+\"} 1.0");
      }
      return new Followed(seen, ratios, expectedBytes, details, measured, done);
    }
  }

  private static long lsn(Statement sql) throws Exception {
    try (ResultSet row = sql.executeQuery("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
      row.next();
      return row.getLong(1);
    }
  }

  private static Optional<StepProgress> step(TestExporter exporter) {
    return exporter.exporter().runtime().board(Instant.now().plusSeconds(2)).migrations().stream()
        .filter(MigrationStatus::known).findFirst().flatMap(MigrationStatus::progress);
  }

  private static Optional<Double> expected(TestExporter exporter) {
    SourceState state = exporter.exporter().runtime().current().sources().get("postgres:pix");
    return state.lastReading().flatMap(reading -> reading.samples().stream()
        .filter(s -> s.metric().name().equals("migration_pg_rewrite_wal_expected_bytes"))
        .map(s -> s.value()).findFirst());
  }
}
