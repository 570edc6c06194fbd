package io.migrationexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.app.Modules;
import io.migrationexporter.config.Plan;
import io.migrationexporter.event.Event;
import io.migrationexporter.event.JournalFile;
import io.migrationexporter.migration.MigrationDefinition;
import io.migrationexporter.migration.RelationVolume;
import io.migrationexporter.migration.StepDefinition;
import io.migrationexporter.migration.StepMeasure;
import io.migrationexporter.report.DemoNight;
import io.migrationexporter.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report --expectations}: a rehearsal's measured step durations become, once included,
 * the expected durations of the night's configuration (which the ETA is computed from).
 */
class ReportExpectationsTest {
  @TempDir
  Path dir;

  @Test
  void theRehearsalsDurationsBecomeTheExpectedOnes() throws Exception {
    Path config = DemoNight.copyInto(dir);
    Path fragment = dir.resolve("rehearsal.conf");

    Cli.Result result = Cli.run("report", "--config", config.toString(), "--journal",
        DemoNight.journalIn(dir).toString(), "--output", dir.toString(), "--expectations",
        fragment.toString());

    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.out()).contains(fragment.toString());
    Files.writeString(config, Files.readString(config) + "\ninclude \"rehearsal.conf\"\n");
    Plan production = Modules.loader().load(config);
    // Measured in the recorded night; answers_id_seq was never seen running: its 1s stays.
    assertThat(expected(production, "pix-bigint")).containsExactly(
        Optional.of(Duration.ofMillis(20_426)), Optional.of(Duration.ofMillis(16_687)),
        Optional.of(Duration.ofSeconds(1)));
    assertThat(expected(production, "datawarehouse-bigint")).containsExactly(
        Optional.of(Duration.ofMillis(8_414)), Optional.of(Duration.ofMillis(6_210)),
        Optional.of(Duration.ofSeconds(1)));
  }

  @Test
  void theTablesSizeAtTheStepsStartTravelsFromTheJournalToTheNightsStep() throws Exception {
    Path config = DemoNight.copyInto(dir);
    Path journal = DemoNight.journalIn(dir);
    RelationVolume rehearsed = new RelationVolume(40_000_000_000L, 300_000_000);
    JournalFile.writeAll(journal, JournalFile.readAll(journal).stream()
        .map(event -> event.type().equals("step") && event.subject().equals("pix-bigint")
            && event.to().startsWith("step 1 of 3") ? withVolume(event, rehearsed) : event)
        .toList());
    Path fragment = dir.resolve("rehearsal.conf");

    Cli.Result result = Cli.run("report", "--config", config.toString(), "--journal",
        journal.toString(), "--output", dir.toString(), "--expectations", fragment.toString());

    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(Files.readString(fragment)).contains("    knowledge-elements-answerid.duration = "
        + "20426ms\n    knowledge-elements-answerid.measured-on { bytes = 40000000000,"
        + " rows = 300000000 }\n    # answers.id to BIGINT");
    assertThat(Files.readString(dir.resolve("night-report.json")))
        .containsPattern("\"bytes\" ?: ?40000000000,\\s*\"rows\" ?: ?300000000");
    Files.writeString(config, Files.readString(config) + "\ninclude \"rehearsal.conf\"\n");
    Plan production = Modules.loader().load(config);
    List<StepDefinition> steps = production.migrations().stream()
        .filter(m -> m.name().equals("pix-bigint")).findFirst().orElseThrow().steps();
    assertThat(steps.get(0).measuredOn()).hasValue(rehearsed);
    assertThat(steps.get(1).measuredOn()).isEmpty();
  }

  private static Event withVolume(Event event, RelationVolume volume) {
    return new Event(event.sequence(), event.at(), event.type(), event.subject(), event.from(),
        event.to(), event.message(), Optional.of(volume));
  }

  @Test
  void theStepsMeasuredProfileAndWalTravelFromTheJournalToTheNightsEta() throws Exception {
    Path config = DemoNight.copyInto(dir);
    Path journal = DemoNight.journalIn(dir);
    RelationVolume rehearsed = new RelationVolume(Optional.of("\"knowledge-elements\""),
        40_000_000_000L, 300_000_000);
    // The step event that leaves step 1 tells what was measured of it; an index-write ratio
    // below what a configuration accepts is left to the built-in profile.
    StepMeasure measured = new StepMeasure(52_000_000_000L, OptionalDouble.of(0.31),
        OptionalDouble.of(0.001), OptionalDouble.of(0.62));
    JournalFile.writeAll(journal, JournalFile.readAll(journal).stream()
        .map(event -> !event.type().equals("step") || !event.subject().equals("pix-bigint")
            ? event : event.to().startsWith("step 1 of 3") ? withVolume(event, rehearsed)
            : event.from() != null && event.from().startsWith("step 1 of 3")
                ? new Event(event.sequence(), event.at(), event.type(), event.subject(),
                    event.from(), event.to(), event.message(), event.volume(),
                    Optional.of(measured))
                : event)
        .toList());
    assertThat(JournalFile.readAll(journal)).anyMatch(e -> e.measure().equals(
        Optional.of(measured)));
    Path fragment = dir.resolve("rehearsal.conf");

    Cli.Result result = Cli.run("report", "--config", config.toString(), "--journal",
        journal.toString(), "--output", dir.toString(), "--expectations", fragment.toString());

    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(Files.readString(fragment)).contains("    knowledge-elements-answerid.measured-on"
        + " { table = \"\\\"knowledge-elements\\\"\", bytes = 40000000000, rows = 300000000 }\n"
        + "    # knowledge-elements-answerid.profile: index-write measured 0.001, outside 0.01 to"
        + " 100.0: not used\n"
        + "    knowledge-elements-answerid.profile { index-sort = 0.310,"
        + " foreign-key-join = 0.620 }\n");
    assertThat(Files.readString(dir.resolve("night-report.json")))
        .containsPattern("\"wal_bytes\" ?: ?52000000000");
    assertThat(Files.readString(dir.resolve("night-report.md")))
        .contains("| table 40 GB, 300,000,000 rows; WAL 52 GB |");
    assertThat(Files.readString(dir.resolve("night-report.html")))
        .contains("<td>table 40 GB, 300,000,000 rows; WAL 52 GB</td>");
    Files.writeString(config, Files.readString(config) + "\ninclude \"rehearsal.conf\"\n");
    Plan production = Modules.loader().load(config);
    List<StepDefinition> steps = production.migrations().stream()
        .filter(m -> m.name().equals("pix-bigint")).findFirst().orElseThrow().steps();
    // The profile reaches the PostgreSQL source's ETA: RehearsalProfileTest.
    assertThat(steps.get(0).measuredOn()).hasValue(rehearsed);
    // The night's report states the step's expected duration as scaled to its table.
    Cli.Result night = Cli.run("report", "--config", config.toString(), "--journal",
        journal.toString(), "--output", dir.resolve("night").toString());
    assertThat(night.exit()).as(night.all()).isZero();
    assertThat(Files.readString(dir.resolve("night/night-report.md"))).contains(
        "| 20s (scaled from the rehearsal: 20 s on 40 GB, now 40 GB) | 20s |");
    assertThat(Files.readString(dir.resolve("night/night-report.json"))).containsPattern(
        "\"expected_words\" ?: ?\"scaled from the rehearsal: 20 s on 40 GB, now 40 GB\"");
  }

  @Test
  void aRehearsalsSizeThatIsNoSizeIsOneLine() throws Exception {
    Path config = DemoNight.copyInto(dir);
    Files.writeString(config, Files.readString(config) + """
        expectations.pix-bigint.answers-id { duration = 3s, measured-on { bytes = 0, rows = 5 } }
        """);

    Cli.Result result = Cli.run("check-config", config.toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("expectations.pix-bigint.answers-id.measured-on.bytes: 0.0"
        + " is out of range").doesNotContain("\tat ");
  }

  @Test
  void aMeasureForAStepTheConfigurationLacksIsOneLine() throws Exception {
    Path config = DemoNight.copyInto(dir);
    Files.writeString(config, Files.readString(config) + """
        expectations.pix-bigint.answers-idd.duration = 3s
        expectations.pix-bigint.answers-id.duraton = 3s
        expectations.no-such-migration.answers-id.duration = 3s
        """);

    Cli.Result result = Cli.run("check-config", config.toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains(
        "expectations.pix-bigint.answers-idd: migration 'pix-bigint' has no step 'answers-idd'"
            + " (its steps: knowledge-elements-answerid, answers-id, answers-id-seq)",
        "expectations.pix-bigint.answers-id.duration: missing, this key is required (did you"
            + " mean 'duration' where you wrote 'duraton'?)",
        "expectations.no-such-migration: no migration named 'no-such-migration' in this"
            + " configuration").doesNotContain("\tat ");
  }

  @Test
  void expectationsNeedTheConfiguration() throws Exception {
    DemoNight.copyInto(dir);

    Cli.Result result = Cli.run("report", "--journal", DemoNight.journalIn(dir).toString(),
        "--expectations", dir.resolve("x.conf").toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).isEqualTo("migration-exporter report: --expectations needs --config"
        + " FILE: the steps' names are in the configuration\n");
  }

  private static List<Optional<Duration>> expected(Plan plan, String migration) {
    MigrationDefinition definition = plan.migrations().stream()
        .filter(m -> m.name().equals(migration)).findFirst().orElseThrow();
    return definition.steps().stream().map(StepDefinition::expected).toList();
  }
}
