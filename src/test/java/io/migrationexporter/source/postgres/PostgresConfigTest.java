package io.migrationexporter.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migrationexporter.app.Modules;
import io.migrationexporter.check.Expectation;
import io.migrationexporter.config.ConfigException;
import io.migrationexporter.config.Plan;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration gets one clear line per problem, naming the key; nothing connects. */
class PostgresConfigTest {
  @TempDir Path dir;

  @Test
  void aPasswordInTheUrlIsRefusedWithoutRepeatingIt() throws Exception {
    String message = TestExporter.refusal(dir, """
        sources.postgres.main {
          url = "jdbc:postgresql://db:5432/app?password=hunter2-secret"
          user = exporter
        }
        """);
    assertThat(message).contains("sources.postgres.main.url").contains("use the keys user and password")
        .doesNotContain("hunter2-secret");
  }

  @Test
  void reportsEveryBadKey() throws Exception {
    String message = TestExporter.refusal(dir, """
        sources.postgres.main {
          url = "http://db/app"
          user = exporter
          lock-timout = 1s
          max-connections = 3
          queries.q { sql = "SELECT 1", check.closed-when = "zero" }
          migrations.m { steps = [ { name = a } ] }
        }
        """);
    assertThat(message)
        .contains("sources.postgres.main.url: expected a PostgreSQL JDBC URL")
        .contains("lock-timout: unknown key (did you mean 'lock-timeout'?)")
        .contains("max-connections: 3 is out of range")
        .contains("closed-when: expected a comparison")
        .contains("query-regex: missing");
  }

  @Test
  void aValidSourceImpliesItsConnectionsCheckAndItsMigration() throws Exception {
    Path file = TestExporter.writeConfig(dir, """
        sources.postgres.main {
          url = "jdbc:postgresql://127.0.0.1:1/app"
          user = exporter
          password = "at-least-some-chars"
          tls { mode = require }
          migrations.bigint {
            progress-query = "SELECT step, done FROM migration_progress"
            done-query = "SELECT true"
            steps = [ { name = a }, { name = b, query-regex = "ALTER TABLE b" } ]
          }
        }
        """);
    Plan plan = Modules.loader().load(file);
    assertThat(plan.checks()).singleElement().satisfies(check -> {
      assertThat(check.name()).isEqualTo("main-connections");
      assertThat(check.group()).isEqualTo("connections");
      assertThat(check.sourceId()).isEqualTo("postgres:main");
      // no connection left is what the maintenance needs; afterwards, none is no red cross
      assertThat(check.expectation("migration")).isEqualTo(Expectation.CLOSED);
      for (String phase : List.of("preparation", "reopening", "done")) {
        assertThat(check.expectation(phase)).as(phase).isEqualTo(Expectation.ANY);
      }
    });
    assertThat(plan.migrations()).singleElement()
        .satisfies(m -> assertThat(m.sourceId()).isEqualTo("postgres:main"));
    assertThat(plan.sources().get(0).describe()).contains("127.0.0.1:1/app")
        .doesNotContain("at-least-some-chars");
  }

  @Test
  void aLockTimeoutLongerThanTheStatementTimeoutIsRefused() throws Exception {
    assertThatThrownBy(() -> Modules.loader().load(TestExporter.writeConfig(dir, """
        sources.postgres.main {
          url = "jdbc:postgresql://127.0.0.1:1/app"
          user = exporter
          lock-timeout = 5s
        }
        """))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("lock-timeout: must be shorter than statement-timeout");
  }
}
