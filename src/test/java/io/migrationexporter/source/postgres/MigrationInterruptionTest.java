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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration step interrupted three ways on a real PostgreSQL: its session terminated, the server
 * restarted, its statement cancelled. Each time the migration is shown interrupted at the first
 * refresh that can see it, never running nor finished in between, and the rerun of the step is
 * followed from zero to done, every change recorded as an event.
 */
class MigrationInterruptionTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** The step runs until interrupted: the USING function sleeps for its second argument. */
  private static final String SLOW_STEP =
      "ALTER TABLE items ALTER COLUMN v TYPE bigint USING slow_bigint(v, %s)";
  private static final String MIGRATION = """
      interval = 200ms
      migration-sessions.application-names = [night-migration]
      migrations.widen {
        steps = [
          { name = items, expected-duration = 30s, query-regex = "ALTER TABLE items" }
          { name = other, expected-duration = 1s, query-regex = "ALTER TABLE other" }
        ]
      }
      """;

  private static PgTestServer server;
  @TempDir Path dir;

  @BeforeAll
  static void startServer() {
    // A server of its own: one of the cases restarts it.
    server = PgTestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static String database(String name) throws SQLException {
    String database = server.createDatabase(name);
    try (Connection app = server.client(database, "app", "setup");
        Statement sql = app.createStatement()) {
      sql.execute("CREATE TABLE items (v integer)");
      sql.execute("INSERT INTO items VALUES (1)");
      sql.execute("CREATE TABLE other (w integer)");
      sql.execute("INSERT INTO other VALUES (1)");
      sql.execute("""
          CREATE FUNCTION slow_bigint(v integer, seconds float8) RETURNS bigint
          LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(seconds); RETURN v; END $$""");
    }
    return database;
  }

  @Test
  void aTerminatedSessionIsInterruptedThenTheRerunIsFollowedToDone() throws Exception {
    interruptAndRerun("terminated", "its session ended during the step", database -> {
      try (Connection admin = server.admin(database); Statement sql = admin.createStatement()) {
        sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            + " WHERE application_name = 'night-migration'");
      }
    });
  }

  @Test
  void aServerRestartIsAnInterruptionThenTheRerunIsFollowedToDone() throws Exception {
    interruptAndRerun("restarted", "the server restarted during the step", database -> {
      server.stop();
      server.restart();
    });
  }

  @Test
  void aCancelledStatementIsInterruptedThenItsRetryIsFollowedToDone() throws Exception {
    interruptAndRerun("cancelled", "the statement ended without its effect (failed or cancelled)",
        database -> {
          try (Connection admin = server.admin(database); Statement sql = admin.createStatement()) {
            sql.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
                + " WHERE application_name = 'night-migration'");
          }
        });
  }

  interface Interruption {
    void interrupt(String database) throws Exception;
  }

  private void interruptAndRerun(String name, String reason, Interruption interruption)
      throws Exception {
    String database = database("interrupted_" + name);
    try (TestExporter exporter = TestExporter.start(dir,
        PgSources.source(server, "night", database, MIGRATION))) {
      MigrationWatching watching = new MigrationWatching(exporter);
      watching.until("not started", look -> look.state() == MigrationState.NOT_STARTED, WAIT);

      Connection first = server.client(database, "app", "night-migration");
      CompletableFuture<Void> step = CompletableFuture.runAsync(() -> {
        try (Statement sql = first.createStatement()) {
          sql.execute(SLOW_STEP.formatted(600));
        } catch (SQLException e) {
          // the interruption makes it fail, as it would the migration's script
        }
      });
      MigrationWatching.Look running = watching.until("step 1 running",
          look -> look.state() == MigrationState.RUNNING && look.step() == 1, WAIT);
      interruption.interrupt(database);
      step.get(60, TimeUnit.SECONDS);

      MigrationWatching.Look interrupted = watching.until("interrupted",
          look -> look.state() == MigrationState.INTERRUPTED, WAIT);
      assertThat(interrupted.status().progress().get().interruption().get().reason())
          .isEqualTo(reason);
      assertThat(interrupted.step()).isEqualTo(1);
      assertThat(interrupted.ratio()).as("an interrupted step is not finished").isNull();
      // Between running and interrupted: nothing, or unknown while the server restarts.
      for (MigrationWatching.Look look : watching.since(running)) {
        if (look == running || look == interrupted) {
          continue;
        }
        assertThat(look.state()).as("between running and interrupted: " + watching.seen())
            .isIn(MigrationState.RUNNING, MigrationState.UNKNOWN);
        assertThat(look.detail()).doesNotStartWith("finished");
        if (look.state() == MigrationState.RUNNING) {
          // Still the first look after the interruption may predate it; never a finished step.
          assertThat(look.ratio()).isNotEqualTo(1.0);
        }
      }
      assertThat(watching.since(interrupted)).as("interrupted stays until the rerun")
          .allMatch(look -> look.state() == MigrationState.INTERRUPTED);

      // The team runs the step again, then the next one, on a new session.
      try (Connection again = server.client(database, "app", "night-migration");
          Statement sql = again.createStatement()) {
        CompletableFuture<Void> rerun = CompletableFuture.runAsync(() -> {
          try {
            sql.execute(SLOW_STEP.formatted(3));
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
        MigrationWatching.Look rerunning = watching.until("step 1 running again",
            look -> look.state() == MigrationState.RUNNING && look.step() == 1, WAIT);
        assertThat(rerunning.status().progress().get().interruption()).isEmpty();
        rerun.get(60, TimeUnit.SECONDS);
        sql.execute("ALTER TABLE other ALTER COLUMN w TYPE bigint");
        watching.until("done", look -> look.state() == MigrationState.DONE, WAIT);
      }
      first.close();

      JsonNode status = exporter.json("/api/status", 200).path("migrations").get(0);
      List<String> attempts = new ArrayList<>();
      status.path("attempts").forEach(attempt -> attempts.add(attempt.path("step").asText() + " "
          + attempt.path("outcome").asText()));
      assertThat(attempts).containsExactly("items interrupted", "items finished",
          "other finished");
      assertThat(status.path("state").asText()).isEqualTo("done");

      List<String> events = new ArrayList<>();
      exporter.json("/api/events", 200).path("events").forEach(event -> {
        if (event.path("type").asText().equals("migration")) {
          events.add(event.path("to").asText());
        }
      });
      assertThat(events).containsSubsequence("running", "interrupted", "running", "done");
      assertThat(String.join(" ", exporter.json("/api/events", 200).path("events")
          .findValuesAsText("message"))).contains("Interrupted: " + reason);
    }
  }
}
