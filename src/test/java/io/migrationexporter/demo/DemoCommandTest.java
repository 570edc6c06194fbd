package io.migrationexporter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationexporter.testing.Cli;
import org.junit.jupiter.api.Test;

/** The demo's command line: its help, and what it refuses before starting anything. */
class DemoCommandTest {
  @Test
  void helpDocumentsTheOptions() {
    Cli.Result help = Cli.run("demo", "--help");

    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--speed", "--rows", "--port", "--host", "--exit-when-done",
        "Ctrl-C", "40 %");
  }

  @Test
  void refusesASpeedThatIsNotAFactor() {
    Cli.Result result = Cli.run("demo", "--speed", "0");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--speed must be above 0");
  }

  @Test
  void refusesToStartWithoutTheDiskItsTablesNeed() {
    Cli.Result result = Cli.run("demo", "--rows", "2000000000");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("needs about", "java.io.tmpdir", "--rows");
    assertThat(result.out()).isEmpty();
  }
}
