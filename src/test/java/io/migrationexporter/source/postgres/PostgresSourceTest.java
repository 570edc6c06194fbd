package io.migrationexporter.source.postgres;

import static io.migrationexporter.source.postgres.PgSources.load;
import static io.migrationexporter.source.postgres.PgSources.only;
import static io.migrationexporter.source.postgres.PgSources.refresh;
import static io.migrationexporter.source.postgres.PgSources.source;
import static io.migrationexporter.source.postgres.PgSources.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.collect.Observation;
import io.migrationexporter.collect.Reading;
import io.migrationexporter.config.Plan;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The source against a real PostgreSQL: connections, locks, progress views, queries. */
class PostgresSourceTest {
  private static PgTestServer server;
  private static String database;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    server = PgTestServer.shared();
    database = server.createDatabase("source_test");
    try (Connection app = server.client(database, "app", "setup"); Statement sql = app.createStatement()) {
      sql.execute("CREATE TABLE flags (name text PRIMARY KEY, on_off boolean)");
      sql.execute("INSERT INTO flags VALUES ('maintenance', true)");
      sql.execute("CREATE TABLE jobs (id int PRIMARY KEY)");
      sql.execute("CREATE TABLE migration_progress (step text, done boolean, started_at timestamptz)");
      // The configuration's own queries read what the user grants; the exporter's need pg_monitor.
      sql.execute("GRANT SELECT ON flags, jobs, migration_progress TO " + PgTestServer.EXPORTER_USER);
    }
  }


  private PostgresSource open(String more) throws Exception {
    Plan plan = load(dir, source(server, "main", database, more));
    return only(plan);
  }

  @Test
  void countsClientConnectionsApartFromTheMigrationsAndItsOwn() throws Exception {
    try (PostgresSource source = open("migration-sessions.application-names = [pix-migration]")) {
      // a session an earlier test closed may take a moment to leave pg_stat_activity
      Reading[] last = new Reading[1];
      Await.until("earlier tests' sessions gone", () -> {
        last[0] = refresh(source);
        return value(last[0], "migration_pg_other_connections", "main").orElse(-1) == 0;
      }, Duration.ofSeconds(10));
      Reading empty = last[0];
      assertThat(empty.observation("connections")).contains(Observation.closed("No connection left")
          .counting(0, "connections"));
      assertThat(value(empty, "migration_pg_exporter_sessions", "main")).hasValue(1);

      try (Connection api1 = server.client(database, "app", "app-api");
          Connection api2 = server.client(database, "app", "app-api");
          Connection metabase = server.client(database, "app", "metabase");
          Connection migration = server.client(database, "migrator", "pix-migration")) {
        Reading busy = refresh(source);
        assertThat(busy.observation("connections")).contains(Observation.open(
            "3 connections: app-api (2), metabase (1) (migration: 1 session)")
            .counting(3, "connections"));
        assertThat(value(busy, "migration_pg_connections", "main", "app-api", "app", "idle")).hasValue(2);
        assertThat(value(busy, "migration_pg_other_connections", "main")).hasValue(3);
        // what the alert names: the apps, never the migration's own session
        assertThat(value(busy, "migration_pg_unexpected_connections", "main", "app-api"))
            .hasValue(2);
        assertThat(value(busy, "migration_pg_unexpected_connections", "main", "metabase"))
            .hasValue(1);
        assertThat(busy.samples()).filteredOn(s -> s.metric().name()
            .equals("migration_pg_unexpected_connections")).hasSize(2);
        assertThat(value(busy, "migration_pg_migration_connections", "main")).hasValue(1);
        // An idle session waits for its client (ClientRead), or has just gone idle (no event yet).
        assertThat(busy.samples()).filteredOn(s -> s.metric().name()
            .equals("migration_pg_migration_sessions")).singleElement().satisfies(s -> {
              assertThat(s.labelValues().subList(0, 2)).containsExactly("main", "idle");
              assertThat(s.value()).isEqualTo(1);
            });
      }
      try (Connection migration = server.client(database, "migrator", "pix-migration")) {
        // the backends of the sessions just closed leave pg_stat_activity a moment later
        Observation onlyMigration = Observation.closed("No connection left (migration: 1 session)")
            .counting(0, "connections");
        Observation[] seen = new Observation[1];
        Await.until("only the migration's session left", () -> {
          seen[0] = refresh(source).observation("connections").orElseThrow();
          return seen[0].equals(onlyMigration);
        }, Duration.ofSeconds(10), () -> seen[0]);
      }
    }
  }

  /** The connections card says how many connections are left, as a number the board shows. */
  @Test
  void theConnectionsCheckCountsTheOtherSessions() throws Exception {
    try (Connection migration = server.client(database, "migrator", "pix-migration");
        TestExporter exporter = TestExporter.start(dir, source(server, "main", database,
            "migration-sessions.application-names = [pix-migration]"))) {
      assertThat(awaitConnectionsAmount(exporter, 0).path("value").asText())
          .isEqualTo("No connection left (migration: 1 session)");
      try (Connection api = server.client(database, "app", "app-api");
          Connection metabase = server.client(database, "app", "metabase")) {
        JsonNode check = awaitConnectionsAmount(exporter, 2);
        assertThat(check.path("unit").asText()).isEqualTo("connections");
        assertThat(check.path("value").asText())
            .isEqualTo("2 connections: app-api (1), metabase (1) (migration: 1 session)");
        assertThat(exporter.metrics())
            .contains("migration_check_value{check=\"main-connections\"} 2.0\n");
      }
    }
  }

  private static JsonNode awaitConnectionsAmount(TestExporter exporter, long amount) {
    return Await.until("main-connections to count " + amount,
        () -> exporter.checkStatus("main-connections"),
        check -> check.path("amount").asLong(-1) == amount, Duration.ofSeconds(20));
  }

  @Test
  void reportsWhoBlocksWhomAndTheOldestTransaction() throws Exception {
    try (PostgresSource source = open("");
        Connection holder = server.client(database, "app", "holder");
        Connection waiter = server.client(database, "app", "waiter")) {
      holder.setAutoCommit(false);
      try (Statement sql = holder.createStatement()) {
        sql.execute("LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE");
      }
      CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
        try (Statement sql = waiter.createStatement()) {
          sql.execute("SELECT count(*) FROM jobs");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Await.until("the waiter to wait", () ->
          value(refresh(source), "migration_pg_blocked_sessions", "main").orElse(0) == 1,
          Duration.ofSeconds(10));
      Reading reading = refresh(source);
      assertThat(value(reading, "migration_pg_blocked_sessions_by_blocker", "main", "holder")).hasValue(1);
      assertThat(value(reading, "migration_pg_longest_lock_wait_seconds", "main").getAsDouble())
          .isGreaterThanOrEqualTo(0);
      assertThat(value(reading, "migration_pg_oldest_transaction_start_timestamp_seconds", "main"))
          .isPresent();
      holder.rollback();
      waiting.get();
      Reading after = refresh(source);
      assertThat(value(after, "migration_pg_blocked_sessions", "main")).hasValue(0);
    }
  }

  /**
   * While a session holds ACCESS EXCLUSIVE on a table, every refresh ends well within its deadline
   * and the exporter never waits on a lock: its catalog queries do not touch the table. A query
   * from the configuration on that table fails after lock_timeout, alone.
   */
  @Test
  void neverWaitsBehindAMigrationsLock() throws Exception {
    try (PostgresSource source = open("""
          queries.jobs { sql = "SELECT count(*) FROM jobs", check.closed-when = "== 0" }
          queries.flag { sql = "SELECT on_off FROM flags WHERE name = 'maintenance'" }
          """);
        Connection holder = server.client(database, "app", "migration");
        Connection monitor = server.admin(database)) {
      holder.setAutoCommit(false);
      try (Statement sql = holder.createStatement()) {
        sql.execute("LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE");
      }
      AtomicBoolean refreshing = new AtomicBoolean(true);
      AtomicInteger exporterWaits = new AtomicInteger();
      AtomicInteger looks = new AtomicInteger();
      CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
        try (Statement sql = monitor.createStatement()) {
          while (refreshing.get()) {
            try (ResultSet row = sql.executeQuery("""
                SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE a.application_name = 'migration-exporter' AND NOT l.granted
                  AND l.relation = 'jobs'::regclass
                """)) {
              row.next();
              exporterWaits.addAndGet(row.getInt(1));
              looks.incrementAndGet();
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      List<Long> millis = new ArrayList<>();
      Reading reading = null;
      for (int i = 0; i < 20; i++) {
        long start = System.nanoTime();
        reading = refresh(source, Duration.ofSeconds(5));
        millis.add((System.nanoTime() - start) / 1_000_000);
      }
      refreshing.set(false);
      watcher.get();
      holder.rollback();

      assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(1500));
      assertThat(looks.get()).isGreaterThan(5);
      // The custom query on the locked table waits lock_timeout (100 ms), then gives up: a wait
      // the watcher may see. The exporter's own queries never wait: without the custom query
      // below, no wait at all.
      assertThat(value(reading, "migration_pg_query_success", "main", "jobs")).hasValue(0);
      assertThat(reading.observation("query:jobs")).isEmpty();
      assertThat(value(reading, "migration_pg_query_value", "main", "flag")).hasValue(1);
    }
    try (PostgresSource source = open("");
        Connection holder = server.client(database, "app", "migration");
        Connection monitor = server.admin(database)) {
      holder.setAutoCommit(false);
      try (Statement sql = holder.createStatement()) {
        sql.execute("LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE");
      }
      for (int i = 0; i < 10; i++) {
        CompletableFuture<Reading> refreshing = CompletableFuture.supplyAsync(() -> {
          try {
            return refresh(source);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        try (Statement sql = monitor.createStatement()) {
          while (!refreshing.isDone()) {
            try (ResultSet row = sql.executeQuery("""
                SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE a.application_name = 'migration-exporter' AND NOT l.granted
                """)) {
              row.next();
              assertThat(row.getInt(1)).as("exporter sessions waiting on a lock").isZero();
            }
          }
        }
        assertThat(refreshing.get().observation("connections")).isPresent();
      }
      holder.rollback();
    }
  }

  @Test
  void customQueriesBecomeGaugesAndChecks() throws Exception {
    Plan plan = load(dir, source(server, "main", database, """
        queries.maintenance-flag {
          sql = "SELECT on_off FROM flags WHERE name = 'maintenance'"
          check { name = maintenance-flag, title = "Maintenance flag", closed-when = "== 1", open-when = "== 0" }
        }
        queries.broken { sql = "SELECT nope FROM nowhere" }
        """));
    assertThat(plan.checks()).extracting(check -> check.name())
        .containsExactlyInAnyOrder("main-connections", "maintenance-flag");
    try (PostgresSource source = only(plan)) {
      Reading reading = refresh(source);
      assertThat(reading.observation("query:maintenance-flag"))
          .contains(Observation.closed("Value 1 (closed when == 1)"));
      assertThat(value(reading, "migration_pg_query_success", "main", "broken")).hasValue(0);
      assertThat(value(reading, "migration_pg_query_value", "main", "broken")).isEmpty();
    }
  }

  @Test
  void readsEveryProgressViewTheServerHasAndSkipsTheOthers() throws Exception {
    try (PostgresSource source = open("")) {
      Reading reading = refresh(source);
      for (String view : ProgressQuery.VIEWS.keySet()) {
        assertThat(value(reading, "migration_pg_progress_view_available", "main", view))
            .as(view).hasValue(1);
      }
      assertThat(value(reading, "migration_pg_transactions", "main", "commit").getAsDouble())
          .isPositive();
      assertThat(value(reading, "migration_pg_wal_bytes", "main").getAsDouble()).isPositive();
      assertThat(value(reading, "migration_pg_io_bytes", "main", "client backend", "read"))
          .isPresent();
    }
    // A server older than PostgreSQL 16 has no pg_stat_io, one older than 14 no
    // pg_stat_progress_copy, one older than 13 no analyze or basebackup view: the source reads
    // what the server has and says which views are missing.
    Plan plan = load(dir, source(server, "old", database, ""));
    try (PostgresSource source = only(plan);
        Session real = source.pool().acquire(Duration.ofSeconds(5))) {
      Session old = new Session(source.pool(), real.connection(), new ServerInfo(120000, "replica",
          java.util.Set.of("pg_stat_progress_vacuum", "pg_stat_progress_create_index",
              "pg_stat_progress_cluster")));
      Reading.Builder out = Reading.builder();
      ProgressQuery.read(old, "old", out);
      DatabaseStatsQuery.read(old, "old", out);
      ActivityQuery.read(old);
      Reading reading = out.build();
      assertThat(value(reading, "migration_pg_progress_view_available", "old",
          "pg_stat_progress_copy")).hasValue(0);
      assertThat(value(reading, "migration_pg_progress_view_available", "old",
          "pg_stat_progress_vacuum")).hasValue(1);
      assertThat(reading.samples()).noneMatch(s -> s.metric().name().equals("migration_pg_io_bytes"));
      assertThat(ProgressQuery.sql(java.util.Set.of())).isEmpty();
    }
  }

  @Test
  void reportsARunningIndexBuild() throws Exception {
    try (Connection app = server.client(database, "app", "indexer"); Statement sql = app.createStatement()) {
      sql.execute("CREATE TABLE IF NOT EXISTS wide AS SELECT g AS id, md5(g::text) AS t"
          + " FROM generate_series(1, 300000) g");
    }
    try (PostgresSource source = open("");
        Connection app = server.client(database, "app", "indexer")) {
      CompletableFuture<Void> build = CompletableFuture.runAsync(() -> {
        try (Statement sql = app.createStatement()) {
          sql.execute("SET max_parallel_maintenance_workers = 0");
          sql.execute("CREATE INDEX wide_t ON wide (t, id)");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      boolean seen = false;
      while (!build.isDone() && !seen) {
        Reading reading = refresh(source);
        seen = reading.samples().stream().anyMatch(s ->
            s.metric().name().equals("migration_pg_progress_done")
                && s.labelValues().get(1).equals("CREATE INDEX")
                && s.labelValues().get(3).equals("wide"));
      }
      build.get();
      assertThat(seen).as("the index build was seen in pg_stat_progress_create_index").isTrue();
    }
  }

  /** A script that records its progress in a table: the progress and done queries follow it. */
  @Test
  void followsAMigrationThroughItsProgressTable() throws Exception {
    try (PostgresSource source = open("""
          migrations.by-table {
            progress-query = "SELECT step, done, started_at FROM migration_progress ORDER BY started_at DESC LIMIT 1"
            done-query = "SELECT coalesce(bool_and(done), false) FROM migration_progress WHERE step = 'b'"
            steps = [ { name = a, expected-duration = 1h }, { name = b, expected-duration = 1h } ]
          }
          """);
        Connection script = server.client(database, "app", "script");
        Statement sql = script.createStatement()) {
      sql.execute("TRUNCATE migration_progress");
      assertThat(refresh(source).migration("by-table")).hasValueSatisfying(p -> {
        assertThat(p.step()).isEqualTo(-1);
        assertThat(p.done()).isFalse();
      });
      sql.execute("INSERT INTO migration_progress VALUES ('a', false, now() - interval '1 minute')");
      assertThat(refresh(source).migration("by-table")).hasValueSatisfying(p -> {
        assertThat(p.step()).isZero();
        assertThat(p.stepStartedAt()).isPresent();
      });
      sql.execute("INSERT INTO migration_progress VALUES ('b', false, now())");
      assertThat(refresh(source).migration("by-table").get().step()).isEqualTo(1);
      sql.execute("UPDATE migration_progress SET done = true WHERE step = 'b'");
      assertThat(refresh(source).migration("by-table").get().done()).isTrue();
      sql.execute("INSERT INTO migration_progress VALUES ('zz', false, now() + interval '1 hour')");
      assertThat(refresh(source).migration("by-table")).as("an unknown step leaves it unknown")
          .isEmpty();
    }
  }
}
