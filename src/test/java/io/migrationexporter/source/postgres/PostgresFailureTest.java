package io.migrationexporter.source.postgres;

import static io.migrationexporter.source.postgres.PgSources.failure;
import static io.migrationexporter.source.postgres.PgSources.load;
import static io.migrationexporter.source.postgres.PgSources.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.collect.ErrorKind;
import io.migrationexporter.collect.SourceException;
import io.migrationexporter.testing.Await;
import io.migrationexporter.testing.Ports;
import io.migrationexporter.testing.TestExporter;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when the database cannot be read: one clear, safe line on the source. */
class PostgresFailureTest {
  private static PgTestServer server;
  private static String database;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    server = PgTestServer.shared();
    database = server.createDatabase("failure_test");
  }

  private SourceException failing(String block) throws Exception {
    try (PostgresSource source = only(load(dir, block))) {
      return failure(source);
    }
  }

  @Test
  void wrongPasswordIsAnAuthErrorThatNamesTheUserButNotThePassword() throws Exception {
    SourceException error = failing("""
        sources.postgres.main {
          url = "%s"
          user = exporter
          password = "not-the-password-123"
        }
        """.formatted(server.url(database)));
    assertThat(error.kind()).isEqualTo(ErrorKind.AUTH);
    assertThat(error.getMessage()).isEqualTo("password authentication failed for user exporter")
        .doesNotContain("not-the-password-123");
  }

  @Test
  void unknownDatabaseIsNotFound() throws Exception {
    SourceException error = failing(PgSources.source(server, "main", "no_such_db", ""));
    assertThat(error.kind()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(error.getMessage()).isEqualTo("database no_such_db does not exist on 127.0.0.1:"
        + server.port() + "/no_such_db");
  }

  @Test
  void unreachableHostIsATransportError() throws Exception {
    int closedPort = Ports.closed();
    SourceException error = failing("""
        sources.postgres.main {
          url = "jdbc:postgresql://127.0.0.1:%d/app"
          user = exporter
          password-file = pw
        }
        """.formatted(closedPort).replace("password-file = pw",
        "password = " + PgTestServer.EXPORTER_PASSWORD));
    assertThat(error.kind()).isEqualTo(ErrorKind.TRANSPORT);
    assertThat(error.getMessage()).isEqualTo("cannot reach 127.0.0.1:" + closedPort
        + "/app: connection refused");
  }

  /** A server that accepts the connection and never answers: the socket timeout ends the wait. */
  @Test
  void aSilentServerIsATimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      java.util.List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept());
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      });
      acceptor.start();
      long start = System.nanoTime();
      SourceException error = failing("""
          sources.postgres.main {
            url = "jdbc:postgresql://127.0.0.1:%d/app"
            user = exporter
            connect-timeout = 1s
            statement-timeout = 1s
          }
          """.formatted(silent.getLocalPort()));
      assertThat(error.kind()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(error.getMessage()).isEqualTo("cannot reach 127.0.0.1:" + silent.getLocalPort()
          + "/app: no answer within the timeout");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      silent.close();
      acceptor.join(5000);
      for (java.net.Socket socket : accepted) {
        socket.close();
      }
    }
  }

  @Test
  void aRoleWithoutPgMonitorSeesNoOtherSessionsButTheSourceStillAnswers() throws Exception {
    // Without pg_monitor, pg_stat_activity hides other users' queries, not the rows: counting
    // works, recognising a migration's statement of another user does not. The docs require
    // pg_monitor; here the source must not fail.
    try (PostgresSource source = only(load(dir, """
        sources.postgres.main {
          url = "%s"
          user = app
          password = "%s"
        }
        """.formatted(server.url(database), PgTestServer.APP_PASSWORD)))) {
      assertThat(PgSources.refresh(source).observation("connections")).isPresent();
    }
  }

  /** A source that fails leaves the exporter serving, with the reason on that source alone. */
  @Test
  void theRestOfTheExporterKeepsWorking() throws Exception {
    String config = PgSources.source(server, "good", database, "")
        + PgSources.source(server, "gone", "no_such_db", "");
    try (TestExporter exporter = TestExporter.start(dir, config)) {
      Await.until("both sources read", () -> exporter.exporter().runtime().current().sources()
          .values().stream().noneMatch(s -> s.neverCompleted()), Duration.ofSeconds(20));
      HttpResponse<String> metrics = exporter.get("/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("migration_source_up{source=\"postgres:good\"} 1.0")
          .contains("migration_source_up{source=\"postgres:gone\"} 0.0")
          .contains("migration_pg_other_connections{database=\"good\"} 0.0");
      HttpResponse<String> status = exporter.get("/api/status");
      assertThat(status.body()).contains("database no_such_db does not exist")
          .doesNotContain(PgTestServer.EXPORTER_PASSWORD);
    }
  }
}
