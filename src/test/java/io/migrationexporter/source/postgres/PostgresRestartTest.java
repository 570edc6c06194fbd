package io.migrationexporter.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.collect.SourceState;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database stops and comes back: the source is down with the reason, then up by itself. */
class PostgresRestartTest {
  private static PgTestServer server;
  private static String database;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    server = PgTestServer.start();
    database = server.createDatabase("restart_test");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static SourceState state(TestExporter exporter) {
    return exporter.exporter().runtime().board(java.time.Instant.now().plusSeconds(3)).sources()
        .get("postgres:main");
  }

  private static java.util.Set<String> threadNames() {
    java.util.Set<String> names = new java.util.TreeSet<>();
    Thread.getAllStackTraces().keySet().forEach(t -> names.add(t.getName()));
    return names;
  }

  @Test
  void downWithTheReasonThenBackWithoutLeaks() throws Exception {
    String config = PgSources.source(server, "main", database, """
        interval = 100ms
        connect-timeout = 1s
        """);
    try (TestExporter exporter = TestExporter.start(dir, config)) {
      Await.until("source up", () -> state(exporter).up(), Duration.ofSeconds(10));
      PostgresSource source = (PostgresSource) exporter.exporter().runtime().collector()
          .source("postgres:main").orElseThrow();
      java.util.Set<String> threadsBefore = threadNames();
      int openedBefore = source.pool().sessionsOpened();

      server.stop();
      // a refresh during the shutdown may first read "not accepting connections"; once the
      // server is gone, the reason must say it cannot be reached
      String unreachable = "cannot reach 127.0.0.1:" + server.port() + "/restart_test";
      Await.until("source down, unreachable", () -> !state(exporter).up()
          && state(exporter).lastError().orElse("").startsWith(unreachable), Duration.ofSeconds(15),
          () -> state(exporter).lastError());
      SourceState down = state(exporter);
      // Failed refreshes keep coming while it is down; none leaves a session behind.
      long failuresBefore = down.refreshes();
      Await.until("more failed refreshes",
          () -> state(exporter).refreshes() >= failuresBefore + 5, Duration.ofSeconds(10));
      assertThat(source.pool().openSessions()).isZero();

      server.restart();
      Await.until("source up again", () -> state(exporter).up(), Duration.ofSeconds(20));
      assertThat(source.pool().openSessions()).isEqualTo(1);
      assertThat(source.pool().sessionsOpened()).isEqualTo(openedBefore + 1);
      java.util.Set<String> added = threadNames();
      added.removeAll(threadsBefore);
      // The collector's refresh pool grows to its fixed size and the embedded server has its
      // own process threads; the source itself starts none.
      added.removeIf(name -> name.startsWith("source-refresh-") || name.startsWith("process reaper")
          || name.startsWith("postgres:pid"));
      assertThat(added).as("threads left by the source").isEmpty();
      try (Connection admin = server.admin("postgres"); Statement sql = admin.createStatement();
          ResultSet row = sql.executeQuery("SELECT count(*) FROM pg_stat_activity"
              + " WHERE application_name = 'migration-exporter'")) {
        row.next();
        assertThat(row.getInt(1)).isEqualTo(1);
      }
    }
  }
}
