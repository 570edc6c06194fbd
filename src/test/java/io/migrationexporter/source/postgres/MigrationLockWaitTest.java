package io.migrationexporter.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationexporter.migration.MigrationState;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step blocked behind another session's lock, on a real PostgreSQL: the migration is waiting,
 * the holder is named, no countdown is shown nor any ETA served; once the lock is released the
 * step runs on to done.
 */
class MigrationLockWaitTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static PgTestServer server;
  private static String database;
  @TempDir Path dir;

  @BeforeAll
  static void createTables() throws SQLException {
    server = PgTestServer.shared();
    database = server.createDatabase("lock_wait");
    try (Connection admin = server.admin(database); Statement sql = admin.createStatement()) {
      sql.execute("CREATE ROLE \"night-shift\" LOGIN PASSWORD '" + PgTestServer.APP_PASSWORD + "'");
      sql.execute("CREATE TABLE items (v integer)");
      sql.execute("INSERT INTO items VALUES (1)");
      sql.execute("ALTER TABLE items OWNER TO app");
      sql.execute("GRANT SELECT ON items TO \"night-shift\"");
    }
  }

  @Test
  void aBlockedStepIsWaitingWithItsHolderNamedAndNoCountdown() throws Exception {
    String config = PgSources.source(server, "night", database, """
        interval = 200ms
        migration-sessions.application-names = [night-migration]
        migrations.widen {
          steps = [ { name = items, expected-duration = 30s, query-regex = "ALTER TABLE items" } ]
        }
        """);
    try (TestExporter exporter = TestExporter.start(dir, config);
        Connection holder = server.client(database, "night-shift", "psql");
        Statement holding = holder.createStatement();
        Connection migration = server.client(database, "app", "night-migration")) {
      MigrationWatching watching = new MigrationWatching(exporter);
      watching.until("not started", look -> look.state() == MigrationState.NOT_STARTED, WAIT);
      holder.setAutoCommit(false);
      holding.execute("SELECT * FROM items");

      CompletableFuture<Void> step = CompletableFuture.runAsync(() -> {
        try (Statement sql = migration.createStatement()) {
          sql.execute("ALTER TABLE items ALTER COLUMN v TYPE bigint");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      watching.until("waiting", look -> look.state() == MigrationState.WAITING, WAIT);

      JsonNode status = exporter.json("/api/status", 200).path("migrations").get(0);
      assertThat(status.path("state").asText()).isEqualTo("waiting");
      assertThat(status.path("waiting").path("holder").asText()).isEqualTo("night-shift");
      assertThat(status.path("waiting").path("application_name").asText()).isEqualTo("psql");
      assertThat(status.path("time_words").asText()).matches("blocked for \\d+ s by psql \\(night-shift\\)");
      assertThat(status.has("eta")).as("no countdown while blocked").isFalse();
      assertThat(exporter.metrics()).doesNotContain("migration_eta_timestamp_seconds{")
          .contains("migration_state{migration=\"widen\",state=\"waiting\"} 1.0");

      holder.rollback();
      step.get(60, TimeUnit.SECONDS);
      watching.until("done", look -> look.state() == MigrationState.DONE, WAIT);
    }
  }
}
