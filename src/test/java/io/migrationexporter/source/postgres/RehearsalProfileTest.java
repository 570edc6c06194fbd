package io.migrationexporter.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.app.Modules;
import io.migrationexporter.config.Plan;
import io.migrationexporter.config.RehearsalProfile;
import io.migrationexporter.testing.TestExporter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rehearsal's time profile ({@code expectations.<migration>.<step>.profile}) replaces the
 * built-in {@link TimeProfile#MEASURED} in that step's ETA, and only in that step's.
 */
class RehearsalProfileTest {
  private static final String SOURCE = """
      sources.postgres.main {
        url = "jdbc:postgresql://127.0.0.1:1/rehearsed"
        user = exporter
        migrations.bigint {
          steps = [ { name = a, query-regex = "ALTER TABLE a" },
                    { name = b, query-regex = "ALTER TABLE b" } ]
        }
      }
      """;

  @TempDir Path dir;

  @Test
  void theRehearsedStepsEstimateUsesTheRehearsalsProfile() throws Exception {
    Plan plan = Modules.loader().load(TestExporter.writeConfig(dir, SOURCE + """
        expectations.bigint.b {
          duration = 10m
          profile { index-sort = 0.4, index-write = 0.8, foreign-key-join = 0.3 }
        }
        """));
    MigrationWatch watch = ((PostgresDefinition) plan.source("postgres:main").orElseThrow()
        .settings()).migrations().get(0);
    assertThat(watch.stepProfiles()).containsExactly(Optional.empty(),
        Optional.of(new RehearsalProfile(OptionalDouble.of(0.4),
            OptionalDouble.of(0.8), OptionalDouble.of(0.3))));
    assertThat(TimeProfile.of(watch.stepProfiles().get(0))).isEqualTo(TimeProfile.MEASURED);
    assertThat(TimeProfile.of(watch.stepProfiles().get(1))).isEqualTo(
        new TimeProfile(TimeProfile.MEASURED.heapWalPerSecond(), 0.4, 0.8, 0.3));
  }

  /** A rehearsal of a table without index measures no index ratio: the built-in ones stay. */
  @Test
  void aRatioTheRehearsalDidNotMeasureKeepsTheBuiltInOne() throws Exception {
    Plan plan = Modules.loader().load(TestExporter.writeConfig(dir, SOURCE + """
        expectations.bigint.b { duration = 10m, profile { foreign-key-join = 0.9 } }
        """));
    MigrationWatch watch = ((PostgresDefinition) plan.source("postgres:main").orElseThrow()
        .settings()).migrations().get(0);
    assertThat(TimeProfile.of(watch.stepProfiles().get(1))).isEqualTo(
        new TimeProfile(TimeProfile.MEASURED.heapWalPerSecond(),
            TimeProfile.MEASURED.indexSort(), TimeProfile.MEASURED.indexWrite(), 0.9));
  }

  @Test
  void aBadProfileIsOneLineNamingTheKey() throws Exception {
    assertThat(refusal("index-sort = fast, index-write = 1, foreign-key-join = 0.3"))
        .contains("expectations.bigint.b.profile.index-sort: expected a number, got 'fast'")
        .doesNotContain("\tat ");
    assertThat(refusal("index-sort = 0.3, index-write = 0, foreign-key-join = 0.3"))
        .contains("expectations.bigint.b.profile.index-write: 0.0 is out of range, expected"
            + " 0.01 to 100");
    assertThat(refusal("index-sort = 0.3, index-write = 1, foreign-key-join = 0.3, heap = 1"))
        .contains("expectations.bigint.b.profile.heap: unknown key");
  }

  private String refusal(String profile) throws Exception {
    return TestExporter.refusal(dir, SOURCE + "expectations.bigint.b { duration = 10m, profile { "
        + profile + " } }\n");
  }

  @Test
  void aRehearsalWithSlowerSortsAnnouncesALaterEnd() throws Exception {
    RewriteTrace trace = RewriteTimeModelTest.trace("run1-10M-answers.json");
    TimeProfile slowSorts = TimeProfile.of(Optional.of(new RehearsalProfile(OptionalDouble.of(1.0),
        OptionalDouble.empty(), OptionalDouble.empty())));
    double measured = trace.remainingError(trace.replay(TimeProfile.MEASURED), 0.25).orElseThrow();
    double rehearsed = trace.remainingError(trace.replay(slowSorts), 0.25).orElseThrow();
    // Each index's sort forecast at the heap's time rather than 0.27 of it.
    assertThat(rehearsed).isGreaterThan(measured + 0.2);
  }
}
