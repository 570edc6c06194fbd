package io.migrationexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.report.DemoNight;
import io.migrationexporter.testing.Cli;
import io.migrationexporter.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report}: the three files written, and one clear line for what cannot be reported. */
class ReportCommandTest {
  @TempDir
  Path dir;

  @Test
  void writesTheThreeFilesOfTheNight() throws Exception {
    Path config = DemoNight.copyInto(dir);
    Path output = dir.resolve("out");

    Cli.Result result = Cli.run("report", "--config", config.toString(), "--journal",
        DemoNight.journalIn(dir).toString(), "--output", output.toString());

    assertThat(result.err()).isEmpty();
    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("2026-12-05T03:26:59.845110945Z",
        output.resolve("night-report.html").toString());
    assertThat(Files.readString(output.resolve("night-report.html")))
        .contains("<title>The night of 2026-12-05 03:26:59 UTC</title>", "Pix Admin");
    assertThat(Files.readString(output.resolve("night-report.md"))).contains("## Incidents");
    assertThat(Files.readString(output.resolve("night-report.json"))).contains("\"gate_waits\"");
  }

  @Test
  void aWindowCutsTheNight() throws Exception {
    DemoNight.copyInto(dir);

    Cli.Result result = Cli.run("report", "--journal", DemoNight.journalIn(dir).toString(),
        "--from", "2026-12-05T04:27:48+01:00", "--to", "2026-12-05T03:28:00Z", "--output",
        dir.toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("from 2026-12-05T03:27:48Z to 2026-12-05T03:28:00Z");
  }

  @Test
  void aMissingJournalIsOneLine() {
    Path missing = dir.resolve("night.journal.jsonl");

    Cli.Result result = Cli.run("report", "--journal", missing.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("migration-exporter report: journal " + missing
        + " does not exist (the exporter writes it while it runs, see events.journal-file)\n");
  }

  @Test
  void aJournalThatIsADirectoryOrEmptyIsOneLine() throws Exception {
    Cli.Result directory = Cli.run("report", "--journal", dir.toString());
    Path empty = Files.writeString(dir.resolve("empty.jsonl"), "not json\n");
    Cli.Result nothing = Cli.run("report", "--journal", empty.toString());

    assertThat(directory.exit()).isEqualTo(1);
    assertThat(directory.err()).isEqualTo("migration-exporter report: journal " + dir
        + " does not exist as a file (the exporter writes it while it runs, see"
        + " events.journal-file)\n");
    assertThat(nothing.exit()).isEqualTo(1);
    assertThat(nothing.err()).isEqualTo("migration-exporter report: " + empty
        + ": the journal holds no event\n");
  }

  @Test
  void anOutputThatCannotBeWrittenIsOneLine() throws Exception {
    DemoNight.copyInto(dir);
    Path file = Files.writeString(dir.resolve("a-file"), "");

    Cli.Result result = Cli.run("report", "--journal", DemoNight.journalIn(dir).toString(),
        "--output", file.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).startsWith("migration-exporter report: cannot write " + file + ": ")
        .doesNotContain("\tat ").endsWith("\n").hasLineCount(1);
  }

  @Test
  void theConfigurationNamesTheJournal() throws Exception {
    Path config = Files.writeString(dir.resolve("night.conf"), "events.journal-file = gone.jsonl\n");

    Cli.Result result = Cli.run("report", "--config", config.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).startsWith("migration-exporter report: journal "
        + dir.resolve("gone.jsonl") + " does not exist");
  }

  @Test
  void badOptionsAreUsageErrors() {
    Cli.Result nothing = Cli.run("report");
    Cli.Result badTime = Cli.run("report", "--journal", "x", "--from", "yesterday");

    assertThat(nothing.exit()).isEqualTo(2);
    assertThat(nothing.err()).isEqualTo("migration-exporter report: give --config FILE (the"
        + " journal it names) or --journal FILE\n");
    assertThat(badTime.exit()).isEqualTo(2);
    assertThat(badTime.err()).contains("'yesterday' is not a date and time such as"
        + " 2026-12-05T01:30:00Z").doesNotContain("\tat ");
  }

  @Test
  void withoutPrometheusTheReportSaysAlertsWereNotRead() throws Exception {
    DemoNight.copyInto(dir);

    Cli.Result result = Cli.run("report", "--journal", DemoNight.journalIn(dir).toString(),
        "--output", dir.toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(Files.readString(dir.resolve("night-report.md")))
        .contains("Alerts not read: give report --prometheus URL to tell them.")
        .doesNotContain("None fired.");
    assertThat(Files.readString(dir.resolve("night-report.json")))
        .contains("\"read\" : false", "give report --prometheus URL");
  }

  @Test
  void anUnreachablePrometheusIsAWarningAndOneLineOfTheReport() throws Exception {
    DemoNight.copyInto(dir);
    String prometheus = "http://127.0.0.1:" + Ports.closed();

    Cli.Result result = Cli.run("report", "--journal", DemoNight.journalIn(dir).toString(),
        "--prometheus", prometheus, "--output", dir.toString());

    assertThat(result.exit()).isZero();
    assertThat(result.err()).startsWith("migration-exporter report: warning: the night's alerts"
        + " could not be read from " + prometheus + ": ").hasLineCount(1)
        .doesNotContain("\tat ");
    assertThat(Files.readString(dir.resolve("night-report.html")))
        .contains("<p>Alerts could not be read from " + prometheus + ": ");
    assertThat(Files.readString(dir.resolve("night-report.md")))
        .contains("Alerts could not be read from " + prometheus + ": ");
  }

  @Test
  void aPrometheusThatIsNotAnHttpUrlIsAUsageErrorThatHidesIt() {
    Cli.Result result = Cli.run("report", "--journal", "x", "--prometheus", "ftp://u:s3cret@x");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("not an http or https URL such as http://127.0.0.1:9090")
        .doesNotContain("s3cret");
  }

  @Test
  void aTokenFileThatCannotBeReadIsAUsageError() {
    Path missing = dir.resolve("prometheus-token");

    Cli.Result alone = Cli.run("report", "--journal", "x", "--prometheus-token-file",
        missing.toString());
    Cli.Result unreadable = Cli.run("report", "--journal", "x", "--prometheus",
        "http://127.0.0.1:9090", "--prometheus-token-file", missing.toString());

    assertThat(alone.exit()).isEqualTo(2);
    assertThat(alone.err()).isEqualTo("migration-exporter report: --prometheus-token-file goes"
        + " with --prometheus URL\n");
    assertThat(unreadable.exit()).isEqualTo(2);
    assertThat(unreadable.err()).isEqualTo("migration-exporter report: --prometheus-token-file "
        + missing + " cannot be read: it does not exist\n");
  }
}
